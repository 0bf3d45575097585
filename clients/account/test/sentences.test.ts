// The console's pure logic, without a browser: every security event type reads as a sentence,
// user agents become browser names, and problems become the messages a person sees.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiException, SecurityEventInfo, SecurityEventType } from "../src/client.js";
import { browserName, describeEvent } from "../src/events.js";
import { secondFactor } from "../src/forms.js";
import { describe as describeProblem, SessionEndedError, waitFor } from "../src/problems.js";
import { base32Decode, totpAt } from "./support/totp.js";

const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

function event(type: SecurityEventType, details: Record<string, unknown> = {}, client = true): SecurityEventInfo {
    return SecurityEventInfo.fromJS({ id: 1, type, at: "2026-12-01T12:00:00Z", ip: client ? "203.0.113.7" : undefined, user_agent: client ? firefox : undefined, details });
}

function problem(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): ApiException {
    return new ApiException("x", status, JSON.stringify(body), headers, body);
}

describe("security events as sentences", () => {
    it("gives every type the API has a sentence without raw names", () => {
        const types = Object.values(SecurityEventType);
        assert.ok(types.length >= 20, `${types.length} types`);
        for (const type of types) {
            for (const sample of [event(type), event(type, {}, false)]) {
                const sentence = describeEvent(sample);
                assert.match(sentence, /^[A-Z]/, `${type}: ${sentence}`);
                assert.doesNotMatch(sentence, /_|undefined|null|\[object/, `${type}: ${sentence}`);
            }
        }
    });

    it("names the browser and the address", () => {
        assert.equal(describeEvent(event(SecurityEventType.Login_succeeded)), "Signed in from Firefox on Linux at 203.0.113.7");
        assert.equal(describeEvent(event(SecurityEventType.Login_succeeded, {}, false)), "Signed in");
    });

    it("reads the details that say more", () => {
        assert.equal(describeEvent(event(SecurityEventType.Login_failed, { reason: "wrong_password" })),
            "Someone failed to sign in with a wrong password from Firefox on Linux at 203.0.113.7");
        assert.equal(describeEvent(event(SecurityEventType.Session_revoked, { reason: "revoked_by_user", by: "self" })),
            "You ended a session, using Firefox on Linux at 203.0.113.7");
        assert.equal(describeEvent(event(SecurityEventType.Session_revoked, { reason: "refresh_token_reuse", by: "reuse" })),
            "A session ended because its refresh token was used twice");
        assert.equal(describeEvent(event(SecurityEventType.Username_changed, { old: "ana", new: "ana2" })),
            "Username changed from ana to ana2 from Firefox on Linux at 203.0.113.7");
        assert.equal(describeEvent(event(SecurityEventType.Role_changed, { old: "member", new: "admin", by: "admin" }, false)),
            "Role changed to admin by an administrator");
    });

    it("says an administrator ended the sessions, and how many", () => {
        assert.equal(describeEvent(event(SecurityEventType.Sessions_revoked_by_admin, { count: 3, by: "root" })), "An administrator ended all 3 of your sessions");
        assert.equal(describeEvent(event(SecurityEventType.Sessions_revoked_by_admin, { count: 1, by: "root" }, false)), "An administrator ended your session");
    });

    it("reads the second factor's events", () => {
        assert.equal(describeEvent(event(SecurityEventType.Mfa_enabled, { method: "totp" })),
            "Two-step sign-in turned on with an authenticator app from Firefox on Linux at 203.0.113.7");
        assert.equal(describeEvent(event(SecurityEventType.Mfa_disabled, { by: "admin", admin: "root" }, false)),
            "An administrator removed your two-step sign-in");
        assert.equal(describeEvent(event(SecurityEventType.Mfa_disabled, { method: "totp", by: "self" })),
            "Two-step sign-in turned off from Firefox on Linux at 203.0.113.7");
        assert.equal(describeEvent(event(SecurityEventType.Recovery_codes_regenerated, {}, false)),
            "New recovery codes were made; the old ones no longer work");
        assert.equal(describeEvent(event(SecurityEventType.Recovery_code_used, { operation: "login", left: 9 })),
            "A recovery code was used while signing in from Firefox on Linux at 203.0.113.7; 9 left");
        assert.equal(describeEvent(event(SecurityEventType.Mfa_check_failed, { operation: "change_password", method: "totp" })),
            "A wrong sign-in code was entered while changing the password from Firefox on Linux at 203.0.113.7");
        assert.equal(describeEvent(event(SecurityEventType.Mfa_check_failed, { operation: "login", method: "recovery_code" }, false)),
            "A wrong recovery code was entered while signing in");
        assert.equal(describeEvent(event(SecurityEventType.Mfa_failure_limit, { reason: "mfa_token_spent" })),
            "A sign-in was stopped after too many wrong codes from Firefox on Linux at 203.0.113.7");
        assert.equal(describeEvent(event(SecurityEventType.Mfa_failure_limit, { reason: "account_hourly_limit" }, false)),
            "Codes are refused for a while after too many wrong ones this hour");
        assert.equal(describeEvent(event(SecurityEventType.Passkey_added, { name: "Laptop" }, false)), "A passkey \"Laptop\" was added");
        assert.equal(describeEvent(event(SecurityEventType.Login_failed, { method: "passkey", reason: "foreign_passkey" }, false)),
            "Someone failed to sign in with another account's passkey");
    });

    it("a type this build does not know still reads as words", () => {
        const unknown = SecurityEventInfo.fromJS({ id: 2, type: "security_key_lost", at: "2026-12-01T12:00:00Z", details: {} });
        assert.equal(describeEvent(unknown), "security key lost");
    });
});

describe("user agents", () => {
    const cases: [string, string | undefined][] = [
        [firefox, "Firefox on Linux"],
        ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0", "Edge on Windows"],
        ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari on iOS"],
        ["Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36", "Chrome on Android"],
        ["curl/8.5.0", "curl"],
        ["<script>alert(1)</script>", undefined],
        ["", undefined],
    ];
    for (const [agent, name] of cases) {
        it(`${agent || "(empty)"} → ${name ?? "unknown"}`, () => assert.equal(browserName(agent), name));
    }
});

describe("problems as messages", () => {
    it("says how long to wait from Retry-After, in seconds or as a date", () => {
        assert.equal(waitFor("1"), "1 second");
        assert.equal(waitFor("45"), "45 seconds");
        assert.equal(waitFor("600"), "10 minutes");
        assert.equal(waitFor("7200"), "2 hours");
        const now = Date.parse("2026-12-01T12:00:00Z");
        assert.equal(waitFor("Tue, 01 Dec 2026 12:00:30 GMT", now), "30 seconds");
        assert.equal(waitFor("soon"), undefined);
        assert.equal(waitFor(undefined), undefined);
    });

    it("a 429 names the wait", () => {
        const described = describeProblem(problem(429, { type: "about:blank", status: 429 }, { "retry-after": "120" }));
        assert.equal(described.message, "Too many attempts. Try again in 2 minutes.");
    });

    it("a 400 puts each error under its field", () => {
        const described = describeProblem(problem(400, { type: "/problems/validation", errors: { new_password: ["Too short."], email: ["Not an email."] } }));
        assert.deepEqual(described.fields, { new_password: ["Too short."], email: ["Not an email."] });
        assert.equal(described.message, "Please correct the marked fields.");
    });

    it("tells a wrong current password from an ended session", () => {
        assert.equal(describeProblem(problem(401, { type: "/problems/wrong-password" })).message, "Your current password is not right.");
        assert.equal(describeProblem(problem(401, { type: "/problems/session-ended" })).message, "Your session has ended. Sign in again.");
        assert.equal(describeProblem(new SessionEndedError()).message, "Your session has ended. Sign in again.");
    });

    it("a 412 asks for a reload, a 503 names its wait, a lost connection says so", () => {
        assert.match(describeProblem(problem(412, { type: "/problems/precondition-failed" })).message, /Reload the page/);
        assert.equal(describeProblem(problem(503, { type: "about:blank" }, { "retry-after": "5" })).message, "The service is unavailable right now. Try again in 5 seconds.");
        assert.match(describeProblem(new TypeError("Failed to fetch")).message, /could not be reached/);
    });

    it("keeps the problem's extensions for a step that follows", () => {
        const described = describeProblem(problem(403, { type: "/problems/email-not-verified", detail: "d", extra: "kept" }));
        assert.equal(described.type, "/problems/email-not-verified");
        assert.equal(described.problem?.extra, "kept");
        assert.match(described.message, /not verified yet/);
    });
});

describe("second-factor problems and codes", () => {
    it("each second-factor problem has its own message, the code's errors under the code field", () => {
        const wrong = describeProblem(problem(401, { type: "/problems/wrong-mfa-code" }));
        assert.match(wrong.message, /^That code is not right, or it was used already/);
        assert.deepEqual(Object.keys(wrong.fields), ["code"]);
        const missing = describeProblem(problem(401, { type: "/problems/mfa-code-required" }));
        assert.match(missing.message, /two-step sign-in: enter a code/);
        assert.deepEqual(Object.keys(missing.fields), ["code"]);
        assert.match(describeProblem(problem(401, { type: "/problems/mfa-token-invalid" })).message, /Sign in with your password again/);
        assert.match(describeProblem(problem(403, { type: "/problems/mfa-required", mfa_token: "t", methods: ["totp"] })).message, /code from your authenticator app/);
        assert.match(describeProblem(problem(403, { type: "/problems/mfa-enrollment-required" })).message, /role needs two-step sign-in/);
        assert.match(describeProblem(problem(403, { type: "/problems/mfa-session-required" })).message, /sign in again with a code/);
        assert.equal(describeProblem(problem(409, { type: "/problems/conflict", detail: "Your role requires a second factor." })).message, "Your role requires a second factor.");
        const messages = ["wrong-mfa-code", "mfa-code-required", "mfa-token-invalid"].map((slug) => describeProblem(problem(401, { type: `/problems/${slug}` })).message);
        assert.ok(!messages.includes("Your session has ended. Sign in again."), messages.join(" | "));
    });

    it("a code field's six digits are a TOTP code, anything else a recovery code", () => {
        assert.deepEqual(secondFactor("123456"), { code: "123456" });
        assert.deepEqual(secondFactor(" 123 456 "), { code: "123456" });
        assert.deepEqual(secondFactor("abcd-efgh-ijkl-mnop"), { recovery_code: "abcd-efgh-ijkl-mnop" });
        assert.deepEqual(secondFactor("12345"), { recovery_code: "12345" });
        assert.deepEqual(secondFactor("  "), {});
        assert.deepEqual(secondFactor(undefined), {});
    });

    it("the tests' authenticator matches RFC 6238's SHA-1 vectors", () => {
        const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assert.equal(base32Decode(secret).toString("ascii"), "12345678901234567890");
        // RFC 6238 appendix B gives 8 digits (94287082, 07081804, 14050471); apps show the last 6.
        assert.equal(totpAt(secret, Math.floor(59 / 30)), "287082");
        assert.equal(totpAt(secret, Math.floor(1111111109 / 30)), "081804");
        assert.equal(totpAt(secret, Math.floor(1111111111 / 30)), "050471");
    });
});


describe("passkey problems", () => {
    it("each passkey problem of the API has its own message, none of them an ended session", () => {
        const slugs = ["passkey-challenge-invalid", "passkey-origin-mismatch", "passkey-counter-regressed", "passkey-refused"];
        const messages = slugs.map((slug) => describeProblem(problem(slug === "passkey-challenge-invalid" ? 400 : 401, { type: `/problems/${slug}`, detail: "d" })).message);
        assert.equal(new Set(messages).size, slugs.length, messages.join(" | "));
        assert.ok(!messages.includes("Your session has ended. Sign in again."), messages.join(" | "));
        assert.match(messages[0] ?? "", /ran out or was used already/);
        assert.match(messages[2] ?? "", /counter went backwards/);
        assert.match(messages[3] ?? "", /not accepted/);
    });

    it("what the browser's WebAuthn call threw, in words", () => {
        const said = (name: string) => describeProblem(new DOMException("x", name)).message;
        assert.match(said("NotAllowedError"), /cancelled, or it timed out/);
        assert.match(said("InvalidStateError"), /already holds a passkey/);
        assert.match(said("NotSupportedError"), /cannot use passkeys/);
        assert.match(said("SecurityError"), /address/);
        assert.equal(said("UnknownError"), "Something went wrong. Try again.");
    });
});
