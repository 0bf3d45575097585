// A form that sends one request: it disables its button while the request runs, then shows the
// outcome — the API's problem as a sentence, and each validation error under its field — and
// moves focus to where the person has to look.
import { button, field, h, messageArea, type Field } from "./dom.js";
import { describe, type Described } from "./problems.js";

export interface FormOptions {
    /** Label of the submit button. */
    submit: string;
    kind?: "primary" | "danger";
    /** Sends the request; the text it returns is shown as success. */
    send(values: Record<string, string>): Promise<string | void>;
    /** Handles a problem itself (true) instead of the default message, e.g. a step that follows. */
    onProblem?(problem: Described): boolean;
    /** Fields the API names differently from the inputs: JSON name → input name. */
    aliases?: Record<string, string>;
}

export interface Form {
    readonly element: HTMLFormElement;
    readonly message: ReturnType<typeof messageArea>;
}

export function form(fields: readonly Field[], options: FormOptions, ...extra: Node[]): Form {
    const message = messageArea();
    const submit = button(options.submit, { kind: options.kind ?? "primary" });
    const element = h("form", { novalidate: true }, ...fields.map((f) => f.wrapper), ...extra, h("div", { class: "actions" }, submit), message.element);
    element.addEventListener("submit", (event) => {
        event.preventDefault();
        void run();
    });

    async function run(): Promise<void> {
        message.clear();
        fields.forEach((f) => f.setErrors([]));
        const missing = fields.filter((f) => f.input.required && f.input.value.trim() === "");
        if (missing.length > 0) {
            missing.forEach((f) => f.setErrors(["This is required."]));
            message.show("error", "Please fill in the marked fields.");
            missing[0]?.input.focus();
            return;
        }
        const values = Object.fromEntries(fields.map((f) => [f.name, f.input.value]));
        submit.disabled = true;
        element.setAttribute("aria-busy", "true");
        try {
            const done = await options.send(values);
            if (done) {
                message.show("ok", done);
            }
        } catch (error) {
            const problem = describe(error);
            if (options.onProblem?.(problem)) {
                return;
            }
            let first: Field | undefined;
            const elsewhere: string[] = [];
            for (const [name, messages] of Object.entries(problem.fields)) {
                const target = fields.find((f) => f.name === (options.aliases?.[name] ?? name));
                if (target && messages.length > 0) {
                    target.setErrors(messages);
                    first ??= target;
                } else {
                    elsewhere.push(...messages);
                }
            }
            // Errors of fields the form has no input for (a link's token) go in the message.
            message.show("error", first ? problem.message : elsewhere.length > 0 ? elsewhere.join(" ") : problem.message);
            if (first) {
                first.input.focus();
            } else {
                message.element.focus();
            }
        } finally {
            submit.disabled = false;
            element.removeAttribute("aria-busy");
        }
    }

    message.element.tabIndex = -1;
    return { element, message };
}

/** A second factor as a form has it: a TOTP code (six digits) or a recovery code. */
export interface SecondFactor {
    code?: string;
    recovery_code?: string;
}

/**
 * Reads what a person typed in a code field: six digits (spaces allowed, as apps show them) are
 * a TOTP code, anything else a recovery code; empty is none.
 */
export function secondFactor(typed: string | undefined): SecondFactor {
    const value = (typed ?? "").trim();
    if (value === "") {
        return {};
    }
    const digits = value.replace(/\s+/g, "");
    return /^\d{6}$/.test(digits) ? { code: digits } : { recovery_code: value };
}

/**
 * The field a risky change asks for when the account has a second factor: a code from the
 * authenticator app or a recovery code, told apart by `secondFactor` above. Not numeric
 * only, since recovery codes have letters.
 */
export function secondFactorField(options: { required: boolean; hint?: string; label?: string }): Field {
    return field("code", options.label ?? (options.required ? "Code from your authenticator app, or a recovery code" : "Code from your authenticator app, or a recovery code (only if your account has two-step sign-in)"), {
        autocomplete: "one-time-code", required: options.required, maxlength: 40,
        hint: options.hint ?? "6 digits from the app, or one of your recovery codes (each works once).",
    });
}

/** Field errors the API gives `recovery_code` belong to the one code field. */
export const secondFactorAliases = { recovery_code: "code" } as const;
