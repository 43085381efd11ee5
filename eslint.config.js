// The linter: ESLint's and typescript-eslint's recommended rules on every TypeScript file (npm run lint).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "cdktf.out/", "generated/", ".scratch/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Terraform JSON and Grafana JSON are untyped by nature; tests index into them.
      "@typescript-eslint/no-explicit-any": "off",
      // `_name` marks a destructured field that is left out on purpose.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
);
