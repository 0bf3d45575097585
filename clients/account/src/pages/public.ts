// The pages anyone may open: sign-in, and the pages the mails link to. Those read the token from
// the fragment (#token=…: it reaches no server log and no referrer) and spend it only when the
// person presses the button — mail scanners fetch links, and no GET ever uses a token.
import { CancelEmailChangeRequest, ForgotPasswordRequest, ResetPasswordRequest, VerifyEmailRequest } from "../client.js";
import { base, forgetFragment, navigate, register, type PageContext } from "../app.js";
import { field, h, messageArea } from "../dom.js";
import { form } from "../forms.js";
import { anonymous, forget, isSignedIn, signIn } from "../session.js";

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

register("sign-in", {
    title: "Sign in",
    signedIn: false,
    render(context) {
        if (isSignedIn() && !context.notice) {
            queueMicrotask(() => navigate("profile"));
        }
        const username = field("username", "Username or email", { autocomplete: "username", required: true });
        const password = field("password", "Password", { type: "password", autocomplete: "current-password", required: true });
        const signInForm = form([username, password], {
            submit: "Sign in",
            async send(values) {
                await signIn(values.username?.trim() ?? "", values.password ?? "");
                navigate("profile");
            },
        });
        return section("Sign in", notice(context), signInForm.element,
            h("p", {}, h("a", { href: `${base}forgot-password` }, "Forgot your password?")));
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
        const reset = form([password], {
            submit: "Set the new password",
            async send(values) {
                await anonymous.reset(new ResetPasswordRequest({ token, new_password: values.new_password ?? "" }));
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
