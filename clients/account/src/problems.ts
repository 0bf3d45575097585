// Turns whatever a call threw into words for the person: the API's RFC 9457 problems by status
// and type, validation errors by field, and the wait a 429 or 503 names in Retry-After.
import { ApiException } from "./client.js";
import { passkeyError } from "./webauthn.js";

/** Thrown instead of sending a request once the session is gone; the person is already on the way to sign-in. */
export class SessionEndedError extends Error {
    constructor() {
        super("Your session has ended. Sign in again.");
        this.name = "SessionEndedError";
    }
}

export interface Described {
    /** One sentence for the message area. */
    readonly message: string;
    /** Messages by JSON field name, from a 400's `errors`. */
    readonly fields: Readonly<Record<string, readonly string[]>>;
    readonly status?: number;
    /** The problem's `type` (`/problems/<slug>` or about:blank). */
    readonly type?: string;
    /** The whole problem body, for the steps that read its extensions. */
    readonly problem?: Readonly<Record<string, unknown>>;
}

function parse(text: string): Record<string, unknown> | undefined {
    try {
        const value: unknown = JSON.parse(text);
        return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

/** "3 minutes", "45 seconds": the Retry-After header (seconds or an HTTP date), rounded up. */
export function waitFor(retryAfter: string | undefined, now = Date.now()): string | undefined {
    if (!retryAfter) {
        return undefined;
    }
    let seconds = /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : Math.ceil((Date.parse(retryAfter) - now) / 1000);
    if (!Number.isFinite(seconds)) {
        return undefined;
    }
    seconds = Math.max(1, seconds);
    if (seconds < 90) {
        return `${seconds} second${seconds === 1 ? "" : "s"}`;
    }
    const minutes = Math.ceil(seconds / 60);
    if (minutes < 90) {
        return `${minutes} minutes`;
    }
    return `${Math.ceil(minutes / 60)} hours`;
}

function fieldErrors(problem: Record<string, unknown> | undefined): Record<string, string[]> {
    const errors = problem?.errors;
    const result: Record<string, string[]> = {};
    if (errors !== null && typeof errors === "object") {
        for (const [name, messages] of Object.entries(errors as Record<string, unknown>)) {
            if (Array.isArray(messages)) {
                result[name] = messages.filter((m): m is string => typeof m === "string");
            }
        }
    }
    return result;
}

/** What the browser's WebAuthn call threw (a DOMException by name), in words; undefined for anything else. */
function browserPasskeyProblem(error: unknown): string | undefined {
    switch (passkeyError(error)) {
        case "cancelled":
            return "No passkey was used: the request was cancelled, or it timed out. Try again when you are ready.";
        case "aborted":
            return "The passkey request was stopped.";
        case "already-registered":
            return "This device or password manager already holds a passkey for your account: use that one, or remove it first.";
        case "not-supported":
            return "This browser cannot use passkeys here. Sign in with your password instead.";
        case "security":
            return "The browser refused: this page's address is not one the service's passkeys are made for.";
        default:
            return undefined;
    }
}

/** The passkey problems (DESIGN §11) by type, whatever their status. */
function passkeyProblem(type: string | undefined): string | undefined {
    if (type?.endsWith("/passkey-challenge-invalid")) {
        return "This passkey request ran out or was used already. Try again: a new one is made.";
    }
    if (type?.endsWith("/passkey-origin-mismatch")) {
        return "The browser answered for another address than this service's, so the passkey was refused.";
    }
    if (type?.endsWith("/passkey-counter-regressed")) {
        return "That passkey was refused: its signature counter went backwards, as a copied key's would. It is in your security history; sign in another way.";
    }
    if (type?.endsWith("/passkey-refused")) {
        return "That passkey was not accepted: it may be of another account, or removed from this one. Try another passkey, or your password.";
    }
    return undefined;
}

export function describe(error: unknown): Described {
    if (error instanceof SessionEndedError) {
        return { message: error.message, fields: {} };
    }
    if (!ApiException.isApiException(error)) {
        const refused = browserPasskeyProblem(error);
        if (refused) {
            return { message: refused, fields: {} };
        }
        if (error instanceof TypeError) {
            return { message: "The service could not be reached. Check your connection and try again.", fields: {} };
        }
        return { message: "Something went wrong. Try again.", fields: {} };
    }
    const problem = parse(error.response);
    const type = typeof problem?.type === "string" ? problem.type : undefined;
    const detail = typeof problem?.detail === "string" && problem.detail.length > 0 ? problem.detail : undefined;
    const retryAfter = (error.headers as Record<string, string | undefined>)["retry-after"];
    const wait = waitFor(retryAfter);
    const base = { status: error.status, type, problem, fields: {} };
    const passkey = passkeyProblem(type);
    if (passkey) {
        return { ...base, message: passkey };
    }
    switch (error.status) {
        case 400: {
            const fields = fieldErrors(problem);
            const count = Object.keys(fields).length;
            return { ...base, fields, message: count > 0 ? "Please correct the marked field" + (count > 1 ? "s." : ".") : detail ?? "The request was not valid." };
        }
        case 401:
            if (type?.endsWith("/invalid-credentials")) {
                return { ...base, message: "That username or email and password do not match an active account." };
            }
            if (type?.endsWith("/wrong-mfa-code")) {
                return { ...base, message: "That code is not right, or it was used already. Wait for the next code and try again.", fields: { code: ["This code is not right, or it was used already."] } };
            }
            if (type?.endsWith("/mfa-code-required")) {
                return { ...base, message: "Your account has two-step sign-in: enter a code from your authenticator app, or a recovery code.", fields: { code: ["Enter a code from your authenticator app, or a recovery code."] } };
            }
            if (type?.endsWith("/mfa-token-invalid")) {
                return { ...base, message: "This sign-in has run out (it lasts 5 minutes and takes 5 wrong codes). Sign in with your password again." };
            }
            if (type?.endsWith("/wrong-password")) {
                return { ...base, message: "Your current password is not right.", fields: { current_password: ["This is not your current password."], password: ["This is not your current password."] } };
            }
            return { ...base, message: "Your session has ended. Sign in again." };
        case 403:
            if (type?.endsWith("/email-not-verified")) {
                return { ...base, message: "Your email address is not verified yet. We have mailed you a new link: open it, then sign in." };
            }
            if (type?.endsWith("/mfa-required")) {
                return { ...base, message: "Enter the code from your authenticator app to finish signing in." };
            }
            if (type?.endsWith("/mfa-enrollment-required")) {
                return { ...base, message: "Your role needs two-step sign-in: turn it on under \"Two-step sign-in\" first." };
            }
            if (type?.endsWith("/mfa-session-required")) {
                return { ...base, message: "This needs a sign-in that used your second factor: sign out, then sign in again with a code." };
            }
            return { ...base, message: detail ?? "You are not allowed to do that." };
        case 404:
            return { ...base, message: detail ?? "That no longer exists." };
        case 409:
            return { ...base, message: detail ?? "That is taken, or the account's state refuses the change." };
        case 412:
            return { ...base, message: "This changed somewhere else since you loaded it. Reload the page and try again." };
        case 413:
        case 431:
            return { ...base, message: "That is too large to send." };
        case 429:
            return { ...base, message: wait ? `Too many attempts. Try again in ${wait}.` : "Too many attempts. Wait a little and try again." };
        case 503:
            return { ...base, message: wait ? `The service is unavailable right now. Try again in ${wait}.` : "The service is unavailable right now. Try again shortly." };
        default:
            return { ...base, message: detail ?? `The service answered with an error (${error.status}). Try again.` };
    }
}
