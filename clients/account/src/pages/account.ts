// The pages of a signed-in person: profile and email, password, sessions and devices, the
// security history, deactivation. Each loads what it shows from the API on arrival.
import { ChangePasswordRequest, DeactivateAccountRequest, UpdateProfileRequest, type SecurityEventInfo, type UserProfile } from "../client.js";
import { navigate, register } from "../app.js";
import { button, field, formatTime, h, messageArea } from "../dom.js";
import { browserName, describeEvent, isWarning } from "../events.js";
import { form, secondFactor, secondFactorAliases, secondFactorField } from "../forms.js";
import { describe } from "../problems.js";
import { api, forget } from "../session.js";

function page(title: string, ...children: (Node | null)[]): HTMLElement {
    return h("section", { class: "card" }, h("h1", {}, title), ...children);
}

/** A button that runs one call, shows its problem in `message`, and is off while it runs. */
function action(label: string, kind: "primary" | "secondary" | "danger", message: ReturnType<typeof messageArea>, run: () => Promise<void>): HTMLButtonElement {
    const control = button(label, { type: "button", kind });
    control.addEventListener("click", () => {
        control.disabled = true;
        message.clear();
        run().catch((error: unknown) => {
            message.show("error", describe(error).message);
            message.element.focus();
        }).finally(() => {
            control.disabled = false;
        });
    });
    return control;
}

function emailState(me: UserProfile, message: ReturnType<typeof messageArea>): HTMLElement {
    const state = me.email_verified ? h("span", { class: "badge ok" }, "verified") : h("span", { class: "badge warn" }, "not verified");
    const rows = h("dl", { class: "facts" },
        h("dt", {}, "Username"), h("dd", {}, me.username),
        h("dt", {}, "Email"), h("dd", {}, me.email ?? "", " ", state),
        me.pending_email ? h("dt", {}, "Waiting to become your email") : null,
        me.pending_email ? h("dd", {}, me.pending_email, " ", h("span", { class: "badge warn" }, "confirm it from the mail sent there")) : null,
        h("dt", {}, "Member since"), h("dd", {}, formatTime(me.created_at)));
    const container = h("div", {}, rows);
    if (!me.email_verified || me.pending_email) {
        container.append(h("p", { class: "actions" }, action("Send the verification mail again", "secondary", message, async () => {
            await api.resendVerification();
            message.show("ok", `A new link is on its way to ${me.pending_email ?? me.email ?? "your address"}.`);
        })));
    }
    return container;
}

register("profile", {
    title: "Profile",
    signedIn: true,
    nav: "Profile",
    async render() {
        const me = await api.getMe();
        const message = messageArea();
        message.element.tabIndex = -1;
        const firstname = field("firstname", "First name", { autocomplete: "given-name", value: me.firstname, required: true });
        const username = field("username", "Username", { autocomplete: "username", value: me.username, required: true, hint: "3 to 32 letters, digits, _ . or -" });
        const email = field("email", "Email", { type: "email", autocomplete: "email", value: me.pending_email ?? me.email ?? "", required: true });
        const password = field("current_password", "Current password (needed to change your username or email)", { type: "password", autocomplete: "current-password" });
        const code = me.mfa_enabled
            ? secondFactorField({ required: false, hint: "Needed with the password to change your username or email: 6 digits from your app, or a recovery code." })
            : undefined;
        const edit = form([firstname, username, email, password, ...(code ? [code] : [])], {
            submit: "Save changes",
            aliases: secondFactorAliases,
            async send(values) {
                const request = new UpdateProfileRequest();
                const changes: string[] = [];
                if (values.firstname !== me.firstname) {
                    request.firstname = values.firstname;
                    changes.push("first name");
                }
                if (values.username !== me.username) {
                    request.username = values.username;
                    changes.push("username");
                }
                if (values.email?.trim() !== (me.pending_email ?? me.email)) {
                    request.email = values.email?.trim();
                    changes.push("email");
                }
                if (changes.length === 0) {
                    return "Nothing to save: nothing was changed.";
                }
                if ((request.username !== undefined || request.email !== undefined) && values.current_password) {
                    request.current_password = values.current_password;
                }
                if (request.username !== undefined || request.email !== undefined) {
                    Object.assign(request, secondFactor(values.code));
                }
                const updated = await api.updateMe(request);
                password.input.value = "";
                if (code) {
                    code.input.value = "";
                }
                Object.assign(me, updated);
                details.replaceChildren(emailState(updated, message));
                return request.email !== undefined && updated.pending_email
                    ? `Saved. We mailed a link to ${updated.pending_email}: your email changes once you open it.`
                    : `Saved your ${changes.join(" and ")}.`;
            },
        });
        const details = h("div", {}, emailState(me, message));
        return page(`Hello, ${me.firstname}`, details, message.element, h("h2", {}, "Change your details"), edit.element);
    },
});

register("password", {
    title: "Password",
    signedIn: true,
    nav: "Password",
    async render() {
        const me = await api.getMe();
        const current = field("current_password", "Current password", { type: "password", autocomplete: "current-password", required: true });
        const next = field("new_password", "New password", {
            type: "password", autocomplete: "new-password", required: true, minlength: 12, maxlength: 128,
            hint: "12 to 128 characters; not your username or email, nor a common password.",
        });
        const code = me.mfa_enabled ? secondFactorField({ required: true }) : undefined;
        const change = form([current, next, ...(code ? [code] : [])], {
            submit: "Change password",
            aliases: secondFactorAliases,
            async send(values) {
                await api.changePassword(new ChangePasswordRequest({
                    current_password: values.current_password ?? "", new_password: values.new_password ?? "", ...secondFactor(values.code),
                }));
                for (const input of [current, next, code]) {
                    if (input) {
                        input.input.value = "";
                    }
                }
                return "Your password is changed. Every other session has ended; this one goes on.";
            },
        });
        return page("Change your password", change.element);
    },
});

register("sessions", {
    title: "Sessions and devices",
    signedIn: true,
    nav: "Sessions",
    async render() {
        const message = messageArea();
        message.element.tabIndex = -1;
        const list = await api.listSessions();
        const sessions = h("ul", { class: "items" });
        const others = list.items.filter((s) => !s.current).length;
        for (const session of list.items) {
            const label = browserName(session.user_agent) ?? "An unrecognised app";
            const row = h("li", { class: "item" },
                h("h3", {}, label, session.current ? h("span", { class: "badge ok" }, "this session") : null),
                h("p", {}, session.ip ? `From ${session.ip}. ` : "", `Signed in ${formatTime(session.created_at)}, last active ${formatTime(session.last_seen_at)}.`));
            if (!session.current) {
                row.append(action("End this session", "secondary", message, async () => {
                    await api.revokeSession(session.id);
                    row.remove();
                    message.show("ok", `The session of ${label} has ended.`);
                    message.element.focus();
                }));
                row.lastElementChild?.setAttribute("aria-label", `End this session, of ${label}${session.ip ? ` from ${session.ip}` : ""}`);
            }
            sessions.append(row);
        }
        const endOthers = others > 0
            ? action("End all other sessions", "danger", message, async () => {
                await api.revokeOtherSessions();
                sessions.querySelectorAll("li.item").forEach((row) => {
                    if (!row.querySelector(".badge.ok")) {
                        row.remove();
                    }
                });
                endOthers?.remove();
                message.show("ok", "Every other session has ended.");
                message.element.focus();
            })
            : null;
        const devices = h("ul", { class: "items" });
        for (const device of list.devices) {
            const label = browserName(device.user_agent) ?? "An unrecognised app";
            const row = h("li", { class: "item" }, h("h3", {}, label),
                h("p", {}, `Known since ${formatTime(device.created_at)}, last used ${formatTime(device.last_used_at)}.`));
            row.append(action("Forget this device", "secondary", message, async () => {
                await api.revokeDevice(device.id);
                row.remove();
                message.show("ok", `${label} is no longer a known device: its next sign-in will be mailed to you as new.`);
                message.element.focus();
            }));
            row.lastElementChild?.setAttribute("aria-label", `Forget this device, ${label}, known since ${formatTime(device.created_at)}`);
            devices.append(row);
        }
        return page("Sessions and devices", message.element,
            h("h2", {}, "Active sessions"), sessions, endOthers ? h("p", { class: "actions" }, endOthers) : null,
            h("h2", {}, "Known devices"),
            h("p", { class: "hint" }, "A sign-in from a browser not on this list is mailed to you."),
            list.devices.length > 0 ? devices : h("p", {}, "No known devices."));
    },
});

const pageSize = 20;

function eventRow(event: SecurityEventInfo): HTMLLIElement {
    return h("li", { class: isWarning(event) ? "event warn" : "event", tabindex: "-1" },
        h("p", { class: "sentence" }, describeEvent(event)),
        h("p", { class: "when" }, h("time", { datetime: event.at.toISOString() }, formatTime(event.at))));
}

register("activity", {
    title: "Security history",
    signedIn: true,
    nav: "Activity",
    async render() {
        const message = messageArea();
        message.element.tabIndex = -1;
        const list = h("ol", { class: "events" });
        let cursor: string | undefined;
        const more = button("Show older events", { type: "button", kind: "secondary" });
        async function load(): Promise<void> {
            const events = await api.listMyEvents(pageSize, cursor);
            list.append(...events.items.map(eventRow));
            cursor = events.next_cursor ?? undefined;
            more.hidden = cursor === undefined;
        }
        more.addEventListener("click", () => {
            more.disabled = true;
            const before = list.children.length;
            // Focus goes to the first of the older events, where reading goes on.
            load().then(() => (list.children[before] as HTMLElement | undefined)?.focus())
                .catch((error: unknown) => message.show("error", describe(error).message))
                .finally(() => {
                    more.disabled = false;
                });
        });
        await load();
        return page("Security history", h("p", {}, "What happened to your account, newest first."), message.element,
            list.children.length > 0 ? list : h("p", {}, "Nothing yet."), h("p", { class: "actions" }, more));
    },
});

register("deactivate", {
    title: "Deactivate",
    signedIn: true,
    nav: "Deactivate",
    async render() {
        const me = await api.getMe();
        const password = field("password", "Your password", { type: "password", autocomplete: "current-password", required: true });
        const code = me.mfa_enabled ? secondFactorField({ required: true }) : undefined;
        const deactivate = form([password, ...(code ? [code] : [])], {
            submit: "Deactivate my account",
            kind: "danger",
            aliases: secondFactorAliases,
            async send(values) {
                await api.deactivateMe(new DeactivateAccountRequest({ password: values.password ?? "", ...secondFactor(values.code) }));
                forget();
                navigate("sign-in", "Your account is deactivated and every session has ended. An administrator can reactivate it.");
            },
        });
        return page("Deactivate your account",
            h("p", {}, "Deactivating ends every session and refuses sign-in from then on. Only an administrator can undo it."),
            deactivate.element);
    },
});
