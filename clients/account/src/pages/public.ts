// The pages anyone may open: sign-in, and the pages the mails link to. Those read the token from
// the fragment (#token=…: it reaches no server log and no referrer) and spend it only when the
// person presses the button — mail scanners fetch links, and no GET ever uses a token.
import { CancelEmailChangeRequest, ForgotPasswordRequest, ResetPasswordRequest, VerifyEmailRequest } from "../client.js";
import { base, forgetFragment, navigate, register, whenLeaving, type PageContext } from "../app.js";
import { button, field, h, messageArea } from "../dom.js";
import { form, secondFactor, secondFactorAliases, secondFactorField } from "../forms.js";
import { isWebAuthnAvailable, signInWithPasskey, startAutofill, type Autofill } from "../passkeys.js";
import { describe, type Described } from "../problems.js";
import { anonymous, forget, isSignedIn, signIn, signInWithCode } from "../session.js";

function section(title: string, ...children: (Node | null)[]): HTMLElement {
    return h("section", { class: "card" }, h("h1", {}, title), ...children);
}

function notice(context: PageContext): HTMLElement | null {
    if (!context.notice) {
        return null;
    }
    const area = messageArea();
    area.show("info", context.notice);
    return area.element;
}

/** The 403 of a right password on an account with a second factor: what the next step needs. */
function mfaChallenge(problem: Described): { token: string; methods: string[] } | undefined {
    const token = problem.problem?.mfa_token;
    const methods = problem.problem?.methods;
    if (problem.status !== 403 || !problem.type?.endsWith("/mfa-required") || typeof token !== "string") {
        return undefined;
    }
    return { token, methods: Array.isArray(methods) ? methods.filter((m): m is string => typeof m === "string") : ["totp", "recovery_code"] };
}

/**
 * A button that signs in with a passkey the person picks in the browser's dialog (`mfaToken`:
 * as the second step of a password sign-in); `before` runs first (ending the autofill request).
 */
function passkeyButton(label: string, kind: "primary" | "secondary", message: ReturnType<typeof messageArea>, options: { mfaToken?: string; before?: () => Promise<void>; onProblem?: (problem: Described) => boolean; after?: () => void }): HTMLButtonElement {
    const control = button(label, { type: "button", kind });
    control.addEventListener("click", () => {
        control.disabled = true;
        message.clear();
        void (async () => {
            try {
                await options.before?.();
                await signInWithPasskey(options.mfaToken);
                navigate("profile");
            } catch (error) {
                const problem = describe(error);
                if (!options.onProblem?.(problem)) {
                    message.show("error", problem.message);
                    message.element.focus();
                }
                options.after?.();
            } finally {
                control.disabled = false;
            }
        })();
    });
    return control;
}

/**
 * The second step of a sign-in: a passkey when the account has one, a code from the
 * authenticator app, or (a switch away) a recovery code. A spent or expired mfa_token goes back
 * to the password step with a message.
 */
function codeStep(challenge: { token: string; methods: string[] }, restart: (notice: string) => void): HTMLElement {
    const onProblem = (problem: Described): boolean => {
        if (problem.type?.endsWith("/mfa-token-invalid")) {
            restart(problem.message);
            return true;
        }
        return false;
    };
    const code = field("code", "Code from your authenticator app", {
        autocomplete: "one-time-code", inputmode: "numeric", required: true, maxlength: 7,
        hint: "The 6 digits your app shows for this account now.",
    });
    const totp = form([code], {
        submit: "Sign in",
        aliases: { recovery_code: "code" },
        async send(values) {
            await signInWithCode(challenge.token, { code: (values.code ?? "").replace(/\s+/g, "") });
            navigate("profile");
        },
        onProblem,
    });
    const recovery = field("recovery_code", "Recovery code", {
        autocomplete: "off", required: true, maxlength: 32,
        hint: "One of the codes you stored when you turned on two-step sign-in, like abcd-efgh-ijkl-mnop. Each works once.",
    });
    const byRecovery = form([recovery], {
        submit: "Sign in",
        async send(values) {
            await signInWithCode(challenge.token, { recovery_code: (values.recovery_code ?? "").trim() });
            navigate("profile");
        },
        onProblem,
    });
    const hasTotp = challenge.methods.includes("totp");
    const hasRecovery = challenge.methods.includes("recovery_code");
    const hasPasskey = challenge.methods.includes("passkey") && isWebAuthnAvailable();
    const container = h("div", {},
        h("p", {}, hasPasskey
            ? "Your password is right. Your account has two-step sign-in: finish with your passkey, or with a code."
            : "Your password is right. Your account has two-step sign-in: finish with a code."));
    if (hasPasskey) {
        const news = messageArea();
        news.element.tabIndex = -1;
        container.append(h("p", { class: "actions" }, passkeyButton("Use your passkey", "primary", news, { mfaToken: challenge.token, onProblem })), news.element);
    }
    const toRecovery = button("Use a recovery code instead", { type: "button", kind: "secondary" });
    const toTotp = button("Use the authenticator app instead", { type: "button", kind: "secondary" });
    const show = (which: "totp" | "recovery"): void => {
        const totpShown = which === "totp";
        totp.element.hidden = !totpShown;
        byRecovery.element.hidden = totpShown;
        toRecovery.hidden = !totpShown || !hasRecovery;
        toTotp.hidden = totpShown || !hasTotp;
        if (!hasPasskey) {
            (totpShown ? code : recovery).input.focus();
        }
    };
    toRecovery.addEventListener("click", () => show("recovery"));
    toTotp.addEventListener("click", () => show("totp"));
    container.append(totp.element, byRecovery.element, h("p", { class: "actions" }, toRecovery, toTotp));
    queueMicrotask(() => {
        show(hasTotp ? "totp" : "recovery");
        // The passkey is the quicker way where there is one: its button takes the focus.
        if (hasPasskey) {
            container.querySelector("button")?.focus();
        }
    });
    return container;
}

register("sign-in", {
    title: "Sign in",
    signedIn: false,
    render(context) {
        if (isSignedIn() && !context.notice) {
            queueMicrotask(() => navigate("profile"));
        }
        const card = section("Sign in");
        const heading = card.firstElementChild as HTMLElement;
        const passkeys = isWebAuthnAvailable();
        let autofill: Autofill | undefined;
        const stopAutofill = async (): Promise<void> => {
            const running = autofill;
            autofill = undefined;
            await running?.stop();
        };
        whenLeaving(() => void stopAutofill());
        const passwordStep = (spent?: string): void => {
            // "webauthn" lets the browser offer the account's passkeys among the field's suggestions.
            const username = field("username", "Username or email", { autocomplete: passkeys ? "username webauthn" : "username", required: true });
            const password = field("password", "Password", { type: "password", autocomplete: "current-password", required: true });
            const signInForm = form([username, password], {
                submit: "Sign in",
                async send(values) {
                    await stopAutofill();
                    await signIn(values.username?.trim() ?? "", values.password ?? "");
                    navigate("profile");
                },
                onProblem(problem) {
                    const challenge = mfaChallenge(problem);
                    if (!challenge) {
                        startPasskeyAutofill();
                        return false;
                    }
                    card.replaceChildren(heading, codeStep(challenge, (message) => {
                        passwordStep(message);
                        card.querySelector("input")?.focus();
                    }));
                    return true;
                },
            });
            let news = notice(context);
            if (spent) {
                const area = messageArea();
                area.show("error", spent);
                news = area.element;
            }
            const passkeyNews = messageArea();
            passkeyNews.element.tabIndex = -1;
            const startPasskeyAutofill = (): void => {
                if (passkeys && autofill === undefined) {
                    autofill = startAutofill(() => navigate("profile"), (problem) => passkeyNews.show("error", problem.message));
                }
            };
            const withPasskey = passkeys
                ? h("div", { class: "alternative" },
                    h("p", { class: "or" }, "or"),
                    h("p", { class: "actions" }, passkeyButton("Sign in with a passkey", "secondary", passkeyNews, { before: stopAutofill, after: startPasskeyAutofill })),
                    passkeyNews.element)
                : null;
            card.replaceChildren(...[heading, news, signInForm.element, withPasskey,
                h("p", {}, h("a", { href: `${base}forgot-password` }, "Forgot your password?"))].filter((n): n is HTMLElement => n !== null));
            startPasskeyAutofill();
        };
        passwordStep();
        return card;
    },
});

register("forgot-password", {
    title: "Forgot password",
    signedIn: false,
    render() {
        const email = field("email", "Email address of your account", { type: "email", autocomplete: "email", required: true });
        const request = form([email], {
            submit: "Mail me a reset link",
            async send(values) {
                await anonymous.forgot(new ForgotPasswordRequest({ email: values.email?.trim() ?? "" }));
                return "If an account has this address, a link to set a new password is on its way. It works once, for 30 minutes.";
            },
        });
        return section("Forgot your password?", h("p", {}, "We will mail you a link that lets you choose a new password."), request.element,
            h("p", {}, h("a", { href: `${base}sign-in` }, "Back to sign in")));
    },
});

/** The part of a mail-link page shown when the link has no token (copied without its end, say). */
function missingToken(title: string): HTMLElement {
    return section(title, h("p", { role: "alert", class: "message error" },
        "This link is incomplete: it has no token. Open the link from the mail again, or copy all of it."));
}

register("reset-password", {
    title: "Choose a new password",
    signedIn: false,
    render(context) {
        if (!context.token) {
            return missingToken("Choose a new password");
        }
        const token = context.token;
        const password = field("new_password", "New password", {
            type: "password", autocomplete: "new-password", required: true, minlength: 12, maxlength: 128,
            hint: "12 to 128 characters; not your username or email, nor a common password.",
        });
        // The page cannot know whether the account has a second factor, so the code is optional
        // here; an account with one answers /problems/mfa-code-required and the field says so.
        const code = secondFactorField({
            required: false,
            hint: "Leave it empty if you never turned on two-step sign-in. Otherwise: 6 digits from your authenticator app, or one of your recovery codes.",
        });
        const reset = form([password, code], {
            submit: "Set the new password",
            aliases: secondFactorAliases,
            async send(values) {
                await anonymous.reset(new ResetPasswordRequest({ token, new_password: values.new_password ?? "", ...secondFactor(values.code) }));
                forgetFragment();
                // Every session ended, this tab's too.
                forget();
                navigate("sign-in", "Your password is set, and every session of your account has ended. Sign in with the new password.");
            },
        });
        return section("Choose a new password", h("p", {}, "Setting it signs your account out everywhere."), reset.element);
    },
});

/** A page that spends a mail's token when its one button is pressed. */
function tokenPage(path: string, title: string, explanation: string, action: string, send: (token: string) => Promise<void>, done: string): void {
    register(path, {
        title,
        signedIn: false,
        render(context) {
            if (!context.token) {
                return missingToken(title);
            }
            const token = context.token;
            const confirm = form([], {
                submit: action,
                async send() {
                    await send(token);
                    forgetFragment();
                    confirm.element.querySelector("button")?.remove();
                    return done;
                },
            });
            return section(title, h("p", {}, explanation), confirm.element,
                h("p", {}, h("a", { href: base + (isSignedIn() ? "profile" : "sign-in") }, isSignedIn() ? "Go to your profile" : "Go to sign in")));
        },
    });
}

tokenPage("verify-email", "Verify your email address", "Press the button to confirm that this address is yours.", "Verify my address",
    (token) => anonymous.verify(new VerifyEmailRequest({ token })), "Your email address is verified.");
tokenPage("confirm-email-change", "Confirm your new email address", "Press the button to make this address your account's email.", "Confirm the new address",
    (token) => anonymous.verify(new VerifyEmailRequest({ token })), "Your account's email address is changed.");
tokenPage("cancel-email-change", "Cancel the email change", "Someone asked to change your account's email address. If it was not you, cancel it here and then change your password.", "Cancel the change",
    (token) => anonymous.cancelChange(new CancelEmailChangeRequest({ token })), "The email change is cancelled; your address stays as it was.");
