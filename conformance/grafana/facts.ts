/**
 * What Grafana accepts, read from its source at the version stacks/images.ts pins (13.x). Every rule of the
 * conformance check rests on one of these facts; the comment names the file and function it comes from.
 */

/** Valid uid: at most 40 of [a-zA-Z0-9_-] (pkg/util/shortid_generator.go: IsValidShortUID, IsShortUIDTooLong). */
export const UID_PATTERN = /^[a-zA-Z0-9_-]+$/;
export const UID_MAX_LENGTH = 40;

/** Alert rule titles (pkg/services/ngalert/api/validation/api_ruler_validation.go: validateRuleNode, AlertRuleMaxTitleLength). */
export const RULE_TITLE_MAX_LENGTH = 190;

/** noDataState values (pkg/services/ngalert/models/alert_rule.go: NoDataStateFromString; KeepLast from 11.x). */
export const NO_DATA_STATES = ["NoData", "Alerting", "OK", "KeepLast"] as const;

/** execErrState values (pkg/services/ngalert/models/alert_rule.go: ErrStateFromString; KeepLast from 11.x). */
export const EXEC_ERR_STATES = ["Error", "Alerting", "OK", "KeepLast"] as const;

/** The data source uid of server-side expressions (pkg/expr/service.go: DatasourceUID). */
export const EXPRESSION_UID = "__expr__";

/** The receiver Grafana's default Alertmanager configuration always has (pkg/services/ngalert/notifier: defaultConfig). */
export const DEFAULT_RECEIVER = "grafana-default-email";

/**
 * Duration syntax of rule `interval`, `for`, `keepFiringFor` and policy timings: Prometheus model.ParseDuration
 * (prometheus/common model/time.go: ParseDuration), called from pkg/services/provisioning/alerting/rules_types.go
 * (AlertRuleGroupV1.MapToModel, AlertRuleV1.mapToModel) and notification_policy_types.go.
 */
const DURATION = /^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$/;

/** Undefined when the text parses as a Prometheus duration, else the reason, as ParseDuration words it. */
export function durationError(text: string): string | undefined {
  if (text === "") return "empty duration string";
  if (text === "0") return undefined;
  if (!DURATION.test(text)) return `not a valid duration string: "${text}"`;
  return undefined;
}

/**
 * Settings each contact point type requires, with the message Grafana's validation gives (github.com/grafana/alerting
 * receivers/<type>/config.go: NewConfig), checked at load (pkg/services/provisioning/alerting/contact_point_types.go).
 */
export const CONTACT_POINT_TYPES = ["email", "webhook", "slack"] as const;

export function contactPointSettingsError(
  type: string,
  settings: Readonly<Record<string, unknown>>,
): string | undefined {
  const text = (key: string) => (typeof settings[key] === "string" ? (settings[key] as string).trim() : "");
  switch (type) {
    case "email":
      // receivers/email/config.go: NewConfig
      return text("addresses") === "" ? "could not find addresses in settings" : undefined;
    case "webhook":
      // receivers/webhook/config.go: NewConfig
      return text("url") === "" ? "required field 'url' is not specified" : undefined;
    case "slack":
      // receivers/slack/config.go: NewConfig: without url, Grafana uses the chat API, which needs both.
      if (text("url") !== "") return undefined;
      if (text("recipient") === "") return "recipient must be specified when using the Slack chat API";
      if (text("token") === "") return "token must be specified when using the Slack chat API";
      return undefined;
    default:
      return `unsupported integration type "${type}"`;
  }
}

/**
 * Server settings flinkmon may set as GF_<SECTION>_<KEY>, from conf/defaults.ini. The variable name is built as
 * pkg/setting/setting.go EnvKey does: section and key upper-cased, "." and "-" of the section and "." of the key
 * replaced by "_". A GF_ variable that maps to no setting is silently ignored by Grafana: a typo goes unnoticed.
 */
export const GRAFANA_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  paths: ["data", "temp_data_lifetime", "logs", "plugins", "provisioning"],
  server: ["protocol", "http_addr", "http_port", "domain", "root_url", "serve_from_sub_path"],
  security: [
    "disable_initial_admin_creation",
    "admin_user",
    "admin_password",
    "admin_email",
    "secret_key",
    "cookie_secure",
    "allow_embedding",
  ],
  users: ["allow_sign_up", "allow_org_create", "auto_assign_org", "auto_assign_org_role", "default_theme"],
  auth: ["login_cookie_name", "disable_login_form", "disable_signout_menu", "oauth_auto_login"],
  "auth.anonymous": ["enabled", "org_name", "org_role", "hide_version"],
  analytics: ["reporting_enabled", "check_for_updates", "check_for_plugin_updates", "feedback_links_enabled"],
  smtp: [
    "enabled",
    "host",
    "user",
    "password",
    "cert_file",
    "key_file",
    "skip_verify",
    "from_address",
    "from_name",
    "ehlo_identity",
    "startTLS_policy",
    "enable_tracing",
  ],
  log: ["mode", "level", "filters"],
  unified_alerting: ["enabled", "evaluation_timeout", "min_interval"],
};

/** EnvKey (pkg/setting/setting.go). */
export function envKey(section: string, key: string): string {
  return `GF_${section.replace(/\./g, "_").toUpperCase().replace(/-/g, "_")}_${key.replace(/\./g, "_").toUpperCase()}`;
}

/**
 * Variable references Grafana expands in provisioning YAML (pkg/services/provisioning/values/values.go:
 * interpolateValue): `$$` is a literal "$", `$__env{NAME}`, and os.ExpandEnv's `$NAME` and `${NAME}`; an unset
 * variable becomes "". Annotations of alert rules expand only `${NAME}` (ValueWithBracedVars); query models are
 * passed raw (rules_types.go: QueryV1.mapToModel).
 */
export function referencedVariables(text: string, bracedOnly = false): string[] {
  const names: string[] = [];
  for (const part of text.split("$$")) {
    const pattern = bracedOnly
      ? /\$\{([A-Za-z0-9_]+)\}/g
      : /\$__env\{([A-Za-z0-9_]+)\}|\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
    for (const m of part.matchAll(pattern)) {
      const name = m[1] ?? m[2] ?? m[3]!;
      if (!name.startsWith("__")) names.push(name);
    }
  }
  return names;
}

/** The text as Grafana sees it after expansion: set variables stand for a non-empty value, unset ones become "". */
export function expand(text: string, environment: ReadonlySet<string>): string {
  return text
    .split("$$")
    .map((part) =>
      part.replace(
        /\$__env\{([A-Za-z0-9_]+)\}|\$\{([A-Za-z0-9_]+)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
        (_, a?: string, b?: string, c?: string) => {
          const name = (a ?? b ?? c)!;
          return environment.has(name) ? `<${name}>` : "";
        },
      ),
    )
    .join("$");
}
