/** Renders the Handlebars templates in this folder. Templates lay out data computed in code; no logic here. */
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";

/** The package root: the nearest folder above this file holding package.json (works from source and dist/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error("flinkmon: cannot find the package root above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

const hbs = Handlebars.create();
/** A YAML double-quoted scalar; JSON string syntax is a subset of it. */
hbs.registerHelper("yamlString", (value: unknown) => JSON.stringify(String(value)));
hbs.registerHelper("join", (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(String(sep)) : ""));

const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** Renders `templates/<name>.hbs` with `data`. Output always ends with exactly one newline. */
export function renderTemplate(name: string, data: object): string {
  let template = compiled.get(name);
  if (!template) {
    const source = readFileSync(join(packageRoot(), "templates", `${name}.hbs`), "utf8");
    template = hbs.compile(source, { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(data).replace(/\n*$/, "\n");
}
