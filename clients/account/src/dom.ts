// Small DOM functions. Every piece of text goes in through textContent (never innerHTML), so what
// the API or a person typed — a user agent, a first name — can never become markup.

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | boolean | undefined>;

/** An element with attributes (`true` sets a boolean attribute, `false`/`undefined` leaves it out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
        if (value === true) {
            element.setAttribute(name, "");
        } else if (typeof value === "string") {
            element.setAttribute(name, value);
        }
    }
    append(element, ...children);
    return element;
}

export function append(parent: Node, ...children: Child[]): void {
    for (const child of children) {
        if (child !== null && child !== undefined && child !== false) {
            parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
        }
    }
}

let ids = 0;
/** An id no other element of the page has. */
export function uniqueId(prefix: string): string {
    ids += 1;
    return `${prefix}-${ids}`;
}

export interface Field {
    readonly name: string;
    readonly wrapper: HTMLDivElement;
    readonly input: HTMLInputElement;
    /** Shows the messages under the field and marks it invalid; none clears it. */
    setErrors(messages: readonly string[]): void;
}

export interface FieldOptions {
    type?: string;
    autocomplete?: string;
    value?: string;
    required?: boolean;
    hint?: string;
    minlength?: number;
    maxlength?: number;
    inputmode?: string;
}

/** A labelled input with a place for its errors, tied together by aria-describedby. */
export function field(name: string, label: string, options: FieldOptions = {}): Field {
    const id = uniqueId(name);
    const errorId = `${id}-error`;
    const hintId = `${id}-hint`;
    const input = h("input", {
        id,
        name,
        type: options.type ?? "text",
        autocomplete: options.autocomplete,
        required: options.required ?? false,
        inputmode: options.inputmode,
        minlength: options.minlength?.toString(),
        maxlength: options.maxlength?.toString(),
        spellcheck: options.type === "email" || name === "username" ? "false" : undefined,
        autocapitalize: options.type === "email" || name === "username" ? "none" : undefined,
    });
    if (options.value !== undefined) {
        input.value = options.value;
    }
    const hint = options.hint ? h("p", { class: "hint", id: hintId }, options.hint) : null;
    const errors = h("p", { class: "field-error", id: errorId, hidden: true });
    input.setAttribute("aria-describedby", [hint ? hintId : "", errorId].filter(Boolean).join(" "));
    const wrapper = h("div", { class: "field" }, h("label", { for: id }, label), hint, input, errors);
    return {
        name,
        wrapper,
        input,
        setErrors(messages) {
            errors.textContent = messages.join(" ");
            errors.hidden = messages.length === 0;
            if (messages.length > 0) {
                input.setAttribute("aria-invalid", "true");
            } else {
                input.removeAttribute("aria-invalid");
            }
        },
    };
}

/** A button; `kind` picks its look (the default is the main action). */
export function button(label: string, options: { type?: "submit" | "button"; kind?: "primary" | "secondary" | "danger" } = {}): HTMLButtonElement {
    return h("button", { type: options.type ?? "submit", class: `button ${options.kind ?? "primary"}` }, label);
}

/** A region that announces what it shows (role=status for news, role=alert for problems). */
export function messageArea(): { element: HTMLDivElement; show(kind: "ok" | "error" | "info", text: string): void; clear(): void } {
    const element = h("div", { class: "message", role: "status", "aria-live": "polite", hidden: true });
    return {
        element,
        show(kind, text) {
            element.className = `message ${kind}`;
            element.setAttribute("role", kind === "error" ? "alert" : "status");
            element.textContent = text;
            element.hidden = false;
        },
        clear() {
            element.textContent = "";
            element.hidden = true;
        },
    };
}

export function formatTime(value: Date): string {
    return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(value);
}
