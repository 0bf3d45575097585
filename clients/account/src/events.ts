// The security history in sentences: every event type the API has (SecurityEventType, generated
// from its OpenAPI document) has one, checked by the compiler through the Record below.
import { SecurityEventType, type SecurityEventInfo } from "./client.js";

/** "Firefox on Linux", "Chrome on Android", "curl"; undefined when the user agent says nothing we know. */
export function browserName(userAgent: string | undefined): string | undefined {
    if (!userAgent) {
        return undefined;
    }
    const ua = userAgent;
    const browser =
        /Edg\//.test(ua) ? "Edge"
        : /OPR\//.test(ua) ? "Opera"
        : /Firefox\//.test(ua) ? "Firefox"
        : /(Chrome|Chromium|HeadlessChrome)\//.test(ua) ? "Chrome"
        : /Safari\//.test(ua) && /Version\//.test(ua) ? "Safari"
        : /^curl\//.test(ua) ? "curl"
        : /^node|undici/i.test(ua) ? "a Node.js program"
        : undefined;
    if (browser === undefined) {
        return undefined;
    }
    const system =
        /Android/.test(ua) ? "Android"
        : /iPhone|iPad|iPod/.test(ua) ? "iOS"
        : /Windows/.test(ua) ? "Windows"
        : /Mac OS X|Macintosh/.test(ua) ? "macOS"
        : /CrOS/.test(ua) ? "ChromeOS"
        : /Linux/.test(ua) ? "Linux"
        : undefined;
    return system ? `${browser} on ${system}` : browser;
}

/** " from Firefox on Linux at 203.0.113.7", " from 203.0.113.7", or nothing. */
function whence(event: SecurityEventInfo): string {
    const browser = browserName(event.user_agent);
    const by = browser ? ` from ${browser}` : event.user_agent ? " from an unrecognised app" : "";
    const at = event.ip ? `${by ? " at" : " from"} ${event.ip}` : "";
    return by + at;
}

function detail(event: SecurityEventInfo, name: string): string | undefined {
    const details = event.details as Record<string, unknown> | null | undefined;
    const value = details?.[name];
    return typeof value === "string" || typeof value === "boolean" || typeof value === "number" ? String(value) : undefined;
}

const revokedBy: Record<string, string> = {
    self: "You ended a session",
    admin: "An administrator ended a session",
    limit: "A session ended because a newer sign-in went over the limit of active sessions",
    password_change: "A session ended because the password changed",
    reuse: "A session ended because its refresh token was used twice",
    throttle: "A session ended after too many wrong current passwords",
};

const loginFailures: Record<string, string> = {
    wrong_password: "with a wrong password",
    account_inactive: "while the account was deactivated",
    unknown_passkey: "with a passkey this account does not have",
    foreign_passkey: "with another account's passkey",
    passkey_refused: "with a passkey that did not verify",
    passkey_counter: "with a passkey whose counter went backwards",
};

/** What a second-factor code was asked for, as the `operation` detail names it. */
const codeOperations: Record<string, string> = {
    login: "signing in",
    change_password: "changing the password",
    update_profile: "changing the profile",
    deactivate_account: "deactivating the account",
    reset_password: "resetting the password",
    disable_totp: "turning off two-step sign-in",
    regenerate_recovery_codes: "making new recovery codes",
    add_passkey: "adding a passkey",
    remove_passkey: "removing a passkey",
};

function whileDoing(event: SecurityEventInfo): string {
    const operation = codeOperations[detail(event, "operation") ?? ""];
    return operation ? ` while ${operation}` : "";
}

const sentences: Record<SecurityEventType, (event: SecurityEventInfo) => string> = {
    [SecurityEventType.Signup]: (e) => `Account created${whence(e)}`,
    [SecurityEventType.Login_succeeded]: (e) => `Signed in${whence(e)}`,
    [SecurityEventType.Login_failed]: (e) => {
        const reason = loginFailures[detail(e, "reason") ?? ""];
        return `Someone failed to sign in${reason ? ` ${reason}` : ""}${whence(e)}`;
    },
    [SecurityEventType.Login_throttled]: (e) => `A sign-in was held back after too many failed attempts${whence(e)}`,
    [SecurityEventType.Refresh_reuse_detected]: (e) => `A spent refresh token was presented again${whence(e)}; that session was ended`,
    // The address and browser are those of whoever ended it, not of the session that ended.
    [SecurityEventType.Session_revoked]: (e) => {
        const by = detail(e, "by") ?? "";
        const from = whence(e).replace(/^ from /, ", using ");
        return `${revokedBy[by] ?? "A session was ended"}${by === "self" ? from : ""}`;
    },
    [SecurityEventType.Logout]: (e) => `Signed out${whence(e)}`,
    [SecurityEventType.Password_changed]: (e) =>
        detail(e, "by") === "create-admin" ? "The password was replaced from the server's command line" : `Password changed${whence(e)}`,
    [SecurityEventType.Password_check_failed]: (e) => {
        const operation = { change_password: "changing the password", update_profile: "changing the profile", deactivate_account: "deactivating the account" }[detail(e, "operation") ?? ""];
        return `A wrong current password was entered${operation ? ` while ${operation}` : ""}${whence(e)}`;
    },
    [SecurityEventType.Email_changed]: (e) => `Email changed${detail(e, "new") ? ` to ${detail(e, "new")}` : ""}${whence(e)}`,
    [SecurityEventType.Username_changed]: (e) => `Username changed${detail(e, "old") ? ` from ${detail(e, "old")}` : ""}${detail(e, "new") ? ` to ${detail(e, "new")}` : ""}${whence(e)}`,
    [SecurityEventType.Role_changed]: (e) => `Role changed${detail(e, "new") ? ` to ${detail(e, "new")}` : ""}${detail(e, "by") === "create-admin" ? " from the server's command line" : " by an administrator"}`,
    [SecurityEventType.Account_deactivated]: (e) => `Account deactivated${detail(e, "by") === "admin" ? " by an administrator" : whence(e)}`,
    [SecurityEventType.Account_reactivated]: (e) => `Account reactivated${detail(e, "by") === "admin" ? " by an administrator" : whence(e)}`,
    [SecurityEventType.Email_verified]: (e) => `Email address${detail(e, "email") ? ` ${detail(e, "email")}` : ""} verified${whence(e)}`,
    [SecurityEventType.Email_change_requested]: (e) => `An email change${detail(e, "new") ? ` to ${detail(e, "new")}` : ""} was requested${whence(e)}`,
    [SecurityEventType.Email_change_cancelled]: (e) => `The email change${detail(e, "new") ? ` to ${detail(e, "new")}` : ""} was cancelled${whence(e)}`,
    [SecurityEventType.Password_reset_requested]: (e) => `A password reset was requested${whence(e)}`,
    [SecurityEventType.Password_reset]: (e) => `Password reset with a mailed link${whence(e)}`,
    [SecurityEventType.New_device_sign_in]: (e) => `Signed in on a new device${whence(e)}; we mailed you about it`,
    [SecurityEventType.Mfa_enabled]: (e) => `Two-step sign-in turned on${{ totp: " with an authenticator app", passkey: " with a passkey" }[detail(e, "method") ?? ""] ?? ""}${whence(e)}`,
    [SecurityEventType.Mfa_disabled]: (e) => detail(e, "by") === "admin" ? "An administrator removed your two-step sign-in" : `Two-step sign-in turned off${whence(e)}`,
    [SecurityEventType.Recovery_codes_regenerated]: (e) => `New recovery codes were made; the old ones no longer work${whence(e).replace(/^ from /, ". From ")}`,
    [SecurityEventType.Recovery_code_used]: (e) => {
        const left = detail(e, "left");
        return `A recovery code was used${whileDoing(e)}${whence(e)}${left === undefined ? "" : `; ${left} left`}`;
    },
    [SecurityEventType.Mfa_check_failed]: (e) => {
        if (detail(e, "method") === "passkey") {
            return `A passkey check failed${whileDoing(e)}${whence(e)}`;
        }
        const what = detail(e, "method") === "recovery_code" ? "recovery code" : "sign-in code";
        return `A wrong ${what} was entered${whileDoing(e)}${whence(e)}`;
    },
    [SecurityEventType.Sessions_revoked_by_admin]: (e) => {
        const count = Number(detail(e, "count"));
        const ended = count === 1 ? "your session" : count > 1 ? `all ${count} of your sessions` : "all your sessions";
        return `An administrator ended ${ended}`;
    },
    [SecurityEventType.Mfa_failure_limit]: (e) => detail(e, "reason") === "mfa_token_spent"
        ? `A sign-in was stopped after too many wrong codes${whence(e)}`
        : `Codes are refused for a while after too many wrong ones this hour${whence(e)}`,
    [SecurityEventType.Passkey_added]: (e) => `A passkey${detail(e, "name") ? ` "${detail(e, "name")}"` : ""} was added${whence(e)}`,
    [SecurityEventType.Passkey_removed]: (e) => `The passkey${detail(e, "name") ? ` "${detail(e, "name")}"` : ""} was removed${whence(e)}`,
    [SecurityEventType.Passkey_counter_regressed]: (e) =>
        `A sign-in with a passkey was refused: its counter went backwards, as a copied passkey's does${whence(e)}`,
};

/** The event as one sentence; a type this build does not know yet still reads as words. */
export function describeEvent(event: SecurityEventInfo): string {
    const sentence = sentences[event.type];
    return sentence ? sentence(event) : `${String(event.type).replace(/_/g, " ")}${whence(event)}`;
}

/** Events a person should look at twice. */
export function isWarning(event: SecurityEventInfo): boolean {
    return [SecurityEventType.Login_failed, SecurityEventType.Login_throttled, SecurityEventType.Refresh_reuse_detected, SecurityEventType.Password_check_failed, SecurityEventType.New_device_sign_in,
        SecurityEventType.Mfa_disabled, SecurityEventType.Recovery_code_used, SecurityEventType.Mfa_check_failed, SecurityEventType.Mfa_failure_limit, SecurityEventType.Sessions_revoked_by_admin,
        SecurityEventType.Passkey_removed, SecurityEventType.Passkey_counter_regressed].includes(event.type);
}
