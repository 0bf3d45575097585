// Two-step sign-in: turning on an authenticator app (the password, then its QR code and the
// secret as text, then a code from the app proves it holds the secret), the recovery codes shown
// once, new recovery codes, and turning it off.
import { ConfirmTotpRequest, DisableTotpRequest, EnrollTotpRequest, RegenerateRecoveryCodesRequest, type TotpEnrollment } from "../client.js";
import { base, navigate, register } from "../app.js";
import { button, field, h, messageArea } from "../dom.js";
import { form, secondFactor, secondFactorAliases, secondFactorField } from "../forms.js";
import { api } from "../session.js";

function page(title: string, ...children: (Node | null)[]): HTMLElement {
    return h("section", { class: "card" }, h("h1", {}, title), ...children);
}

function passwordField(): ReturnType<typeof field> {
    return field("password", "Your password", { type: "password", autocomplete: "current-password", required: true });
}

/**
 * The QR code as an image: the API's SVG document in a data: URL (the page's policy allows data:
 * images and nothing else from data:). An SVG shown through <img> runs no script and reaches
 * nothing, whatever it holds, and it never enters the page's DOM.
 */
function qrImage(svg: string): HTMLImageElement {
    return h("img", {
        class: "qr",
        src: `data:image/svg+xml,${encodeURIComponent(svg)}`,
        alt: "QR code of the new key, for your authenticator app to scan",
        width: "200",
        height: "200",
    });
}

/** "JBSW Y3DP EHPK 3PXP": the Base32 secret in groups of four, as apps ask for it to be typed. */
function grouped(secret: string): string {
    return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

/** The ten recovery codes, once: a list, a note to keep them, and a copy and a download; "Done" goes to `next`. */
export function recoveryCodes(codes: readonly string[], heading: string, next = "two-step"): HTMLElement {
    const message = messageArea();
    const text = `Paseto.Auth recovery codes (each works once)\n\n${codes.join("\n")}\n`;
    const copy = button("Copy the codes", { type: "button", kind: "secondary" });
    copy.addEventListener("click", () => {
        navigator.clipboard.writeText(text).then(
            () => message.show("ok", "The codes are copied."),
            () => message.show("error", "The browser refused to copy: select the codes and copy them, or download them."));
    });
    const download = h("a", { class: "button secondary", download: "recovery-codes.txt", href: URL.createObjectURL(new Blob([text], { type: "text/plain" })) }, "Download the codes");
    const container = h("div", { class: "recovery" },
        h("h2", { tabindex: "-1" }, heading),
        h("p", { class: "message info", role: "note" },
            "Store these codes somewhere safe now (a password manager, or printed): this is the only time they are shown. "
            + "Each one signs you in once if you lose your authenticator app or your passkeys."),
        h("ol", { class: "codes" }, ...codes.map((c) => h("li", {}, h("code", {}, c)))),
        h("p", { class: "actions" }, copy, download),
        message.element,
        h("p", {}, h("a", { href: base + next }, "Done: I have stored them")));
    queueMicrotask(() => (container.firstElementChild as HTMLElement | null)?.focus());
    return container;
}

/** Off: the password starts an enrolment; the app's first code confirms it. */
function enrol(card: HTMLElement): HTMLElement {
    const password = passwordField();
    const start = form([password], {
        submit: "Set up an authenticator app",
        async send(values) {
            const enrolment = await api.enrollTotp(new EnrollTotpRequest({ password: values.password ?? "" }));
            card.replaceChildren(card.firstElementChild ?? "", confirmStep(card, enrolment));
        },
    });
    return h("div", {},
        h("p", {}, "Two-step sign-in asks for a code from an authenticator app on your phone after your password, "
            + "and before your password or email can be changed."),
        h("p", {}, h("span", { class: "badge warn" }, "Off")),
        h("h2", {}, "Turn it on"),
        start.element);
}

function confirmStep(card: HTMLElement, enrolment: TotpEnrollment): HTMLElement {
    const code = field("code", "Code the app shows now", {
        autocomplete: "one-time-code", inputmode: "numeric", required: true, maxlength: 7,
        hint: "6 digits: this proves the app holds the key.",
    });
    const confirm = form([code], {
        submit: "Turn on two-step sign-in",
        async send(values) {
            const set = await api.confirmTotp(new ConfirmTotpRequest({ code: (values.code ?? "").replace(/\s+/g, "") }));
            card.replaceChildren(card.firstElementChild ?? "",
                h("p", { class: "message ok", role: "status" }, "Two-step sign-in is on. From now on, signing in asks for a code."),
                recoveryCodes(set.recovery_codes, "Your recovery codes"));
        },
    });
    const step = h("div", {},
        h("h2", { tabindex: "-1" }, "Add the key to your app"),
        h("p", {}, "Scan this QR code with your authenticator app (any app for TOTP codes), or type the key below into it."),
        qrImage(enrolment.qr_svg),
        h("p", {}, "The key, to type in: ", h("code", { class: "secret" }, grouped(enrolment.secret))),
        confirm.element);
    queueMicrotask(() => code.input.focus());
    return step;
}

/** On: new recovery codes, and turning it off; both need the password and a code. */
function manage(card: HTMLElement): HTMLElement {
    const newPassword = passwordField();
    const newCode = secondFactorField({ required: true });
    const regenerate = form([newPassword, newCode], {
        submit: "Make new recovery codes",
        aliases: secondFactorAliases,
        async send(values) {
            const set = await api.regenerateRecoveryCodes(new RegenerateRecoveryCodesRequest({ password: values.password ?? "", ...secondFactor(values.code) }));
            card.replaceChildren(card.firstElementChild ?? "",
                h("p", { class: "message ok", role: "status" }, "Your new recovery codes are made; the old ones no longer work."),
                recoveryCodes(set.recovery_codes, "Your new recovery codes"));
        },
    });
    const offPassword = passwordField();
    const offCode = secondFactorField({ required: true });
    const disable = form([offPassword, offCode], {
        submit: "Turn off two-step sign-in",
        kind: "danger",
        aliases: secondFactorAliases,
        async send(values) {
            await api.disableTotp(new DisableTotpRequest({ password: values.password ?? "", ...secondFactor(values.code) }));
            navigate("two-step", "Two-step sign-in is off: your password alone signs you in.");
        },
    });
    return h("div", {},
        h("p", {}, "Signing in asks for a code from your authenticator app after your password, and so do changes to your password, email or username."),
        h("p", {}, h("span", { class: "badge ok" }, "On")),
        h("h2", {}, "New recovery codes"),
        h("p", {}, "Lost your codes, or used most of them? A new set replaces the old one."),
        regenerate.element,
        h("h2", {}, "Turn it off"),
        h("p", {}, "Your password alone will sign you in, and the recovery codes stop working."),
        disable.element);
}

register("two-step", {
    title: "Two-step sign-in",
    signedIn: true,
    nav: "Two-step sign-in",
    async render(context) {
        const me = await api.getMe();
        const card = page("Two-step sign-in");
        if (context.notice) {
            const news = messageArea();
            news.show("ok", context.notice);
            card.append(news.element);
        }
        card.append(me.mfa_enabled ? manage(card) : enrol(card));
        return card;
    },
});
