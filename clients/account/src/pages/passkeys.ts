// The passkeys page: the account's passkeys (name, when added, when last used), adding one (the
// password, and a code with a factor on; the recovery codes once if it is the first factor),
// renaming, and removing (a code, or a fresh passkey assertion).
import { register, type PageContext } from "../app.js";
import { button, field, formatTime, h, messageArea } from "../dom.js";
import { form, secondFactor, secondFactorAliases, secondFactorField } from "../forms.js";
import { addPasskey, isWebAuthnAvailable, listPasskeys, removePasskey, renamePasskey, type PasskeyView } from "../passkeys.js";
import { describe } from "../problems.js";
import { api } from "../session.js";
import { recoveryCodes } from "./mfa.js";

type Message = ReturnType<typeof messageArea>;

function used(passkey: PasskeyView): string {
    return passkey.last_used_at ? `last used ${formatTime(passkey.last_used_at)}` : "not used to sign in yet";
}

/** One passkey in the list, with its rename and remove controls (each opens a small form in place). */
function row(passkey: PasskeyView, message: Message, mfaEnabled: boolean, reload: (notice: string) => void): HTMLLIElement {
    const item = h("li", { class: "item" });
    const show = (): void => {
        const rename = button("Rename", { type: "button", kind: "secondary" });
        rename.setAttribute("aria-label", `Rename the passkey ${passkey.name}`);
        const remove = button("Remove", { type: "button", kind: "danger" });
        remove.setAttribute("aria-label", `Remove the passkey ${passkey.name}`);
        item.replaceChildren(
            h("h3", {}, passkey.name),
            h("p", {}, `Added ${formatTime(passkey.created_at)}, ${used(passkey)}.`),
            h("p", { class: "actions" }, rename, remove));
        rename.addEventListener("click", () => renaming());
        remove.addEventListener("click", () => removing());
    };
    const cancel = (): HTMLButtonElement => {
        const control = button("Cancel", { type: "button", kind: "secondary" });
        control.addEventListener("click", () => {
            show();
            item.querySelector("button")?.focus();
        });
        return control;
    };
    const renaming = (): void => {
        const name = field("name", `New name for ${passkey.name}`, { value: passkey.name, required: true, maxlength: 64, autocomplete: "off" });
        const edit = form([name], {
            submit: "Save the name",
            async send(values) {
                const renamed = await renamePasskey(passkey.id, (values.name ?? "").trim());
                Object.assign(passkey, renamed);
                show();
                message.show("ok", `The passkey is now called ${renamed.name}.`);
                message.element.focus();
            },
        }, cancel());
        item.replaceChildren(h("h3", {}, passkey.name), edit.element);
        name.input.focus();
        name.input.select();
    };
    const removing = (): void => {
        const removed = (): void => reload(`The passkey ${passkey.name} is removed: it no longer signs you in.`);
        const intro = h("p", {}, mfaEnabled
            ? `Removing ${passkey.name} needs your second factor: confirm with a passkey, or enter a code.`
            : `Remove ${passkey.name}? It will no longer sign you in.`);
        const local = messageArea();
        local.element.tabIndex = -1;
        const parts: Node[] = [h("h3", {}, passkey.name), intro];
        if (mfaEnabled) {
            if (isWebAuthnAvailable()) {
                const confirm = button("Confirm with a passkey and remove", { type: "button", kind: "danger" });
                confirm.addEventListener("click", () => {
                    confirm.disabled = true;
                    local.clear();
                    removePasskey(passkey.id, "passkey").then(removed, (error: unknown) => {
                        local.show("error", describe(error).message);
                        local.element.focus();
                    }).finally(() => {
                        confirm.disabled = false;
                    });
                });
                parts.push(h("p", { class: "actions" }, confirm), local.element);
            }
            const code = secondFactorField({ required: true });
            const byCode = form([code], {
                submit: "Remove with this code",
                kind: "danger",
                aliases: secondFactorAliases,
                async send(values) {
                    await removePasskey(passkey.id, secondFactor(values.code));
                    removed();
                },
            }, cancel());
            parts.push(byCode.element);
        } else {
            const confirm = form([], {
                submit: "Remove the passkey",
                kind: "danger",
                async send() {
                    await removePasskey(passkey.id, {});
                    removed();
                },
            }, cancel());
            parts.push(confirm.element);
        }
        item.replaceChildren(...parts);
        (item.querySelector("button") as HTMLButtonElement | null)?.focus();
    };
    show();
    return item;
}

/**
 * Adding a passkey: a name (optional), the password, and with a factor on a code — or, when the
 * account has a passkey already, a fresh assertion of it instead; then the browser's dialog.
 */
function adding(card: HTMLElement, mfaEnabled: boolean, hasPasskey: boolean, reload: (notice: string) => void): HTMLElement {
    const name = field("name", "Name (optional)", { required: false, maxlength: 64, autocomplete: "off", hint: "To tell your passkeys apart, like \"Laptop\" or \"Phone\"." });
    const password = field("password", "Your password", { type: "password", autocomplete: "current-password", required: true });
    const code = mfaEnabled
        ? secondFactorField(hasPasskey
            ? {
                required: false,
                label: "Code from your authenticator app or a recovery code, or none to confirm with a passkey",
                hint: "Leave it empty, and the browser asks for one of your passkeys. Or: 6 digits from your app, or one of your recovery codes.",
            }
            : { required: true })
        : undefined;
    const add = form([name, password, ...(code ? [code] : [])], {
        submit: "Add a passkey",
        aliases: secondFactorAliases,
        async send(values) {
            const typed = secondFactor(values.code);
            const factor = mfaEnabled && hasPasskey && Object.keys(typed).length === 0 ? "passkey" : typed;
            const { passkey, recoveryCodes: codes } = await addPasskey(values.password ?? "", factor, values.name?.trim());
            if (codes) {
                card.replaceChildren(card.firstElementChild ?? "",
                    h("p", { class: "message ok", role: "status" }, `The passkey ${passkey.name} is added: it signs you in, and it is your account's second factor now.`),
                    recoveryCodes(codes, "Your recovery codes", "passkeys"));
                return;
            }
            reload(`The passkey ${passkey.name} is added: it signs you in from now on.`);
        },
    });
    return add.element;
}

async function render(context: PageContext): Promise<HTMLElement> {
    const [me, passkeys] = await Promise.all([api.getMe(), listPasskeys()]);
    const card = h("section", { class: "card" }, h("h1", {}, "Passkeys"));
    const message = messageArea();
    message.element.tabIndex = -1;
    if (context.notice) {
        message.show("ok", context.notice);
    }
    const reload = (notice: string): void => {
        render({ notice }).then((fresh) => {
            card.replaceWith(fresh);
            (fresh.querySelector(".message") as HTMLElement | null)?.focus();
        }, () => message.show("error", "The list could not be loaded again. Reload the page."));
    };
    const list = h("ul", { class: "items" }, ...passkeys.map((p) => row(p, message, me.mfa_enabled === true, reload)));
    card.append(
        h("p", {}, "A passkey signs you in with your device's screen lock or a security key, without a password, "
            + "and no other site can use it. It also counts as two-step sign-in."),
        message.element,
        h("h2", {}, "Your passkeys"),
        passkeys.length > 0 ? list : h("p", {}, "No passkeys yet."),
        h("h2", {}, "Add a passkey"),
        isWebAuthnAvailable()
            ? adding(card, me.mfa_enabled === true, passkeys.length > 0, reload)
            : h("p", { class: "message info" }, "This browser cannot make passkeys here (it needs WebAuthn, on an https:// address or localhost)."));
    return card;
}

register("passkeys", { title: "Passkeys", signedIn: true, nav: "Passkeys", render });
