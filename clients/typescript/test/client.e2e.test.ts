// The generated client against the real API on a real PostgreSQL: every call goes through
// PasetoAuthClient, as an application using the package would make it.
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import {
    ApiException,
    bearer,
    ConfirmTotpRequest,
    EnrollTotpRequest,
    LoginRequest,
    MfaLoginRequest,
    MfaRequiredProblem,
    PasetoAuthClient,
    Problem,
    RefreshTokensRequest,
    SignupUserRequest,
    TokenResponse,
    UserProfile,
    ValidationProblem,
} from "../src/index.js";
import { refererSecret, startApi, type RunningApi } from "./support/api.js";

const password = "correct horse battery staple";

let api: RunningApi;

before(async () => {
    api = await startApi();
}, { timeout: 120_000 });

after(async () => {
    await api?.stop();
});

function uniqueName(prefix: string): string {
    return `${prefix}_${randomBytes(4).toString("hex")}`;
}

function anonymous(): PasetoAuthClient {
    return new PasetoAuthClient(api.baseUrl, globalThis);
}

/** A client that sends whatever access token `tokens` holds at the time of each call. */
function signedIn(tokens: { current?: TokenResponse }): PasetoAuthClient {
    return new PasetoAuthClient(api.baseUrl, bearer(() => tokens.current?.access_token));
}

function signupRequest(username: string, overrides: Partial<SignupUserRequest> = {}): SignupUserRequest {
    return new SignupUserRequest({
        username,
        email: `${username}@example.com`,
        password,
        firstname: "Test",
        referer_secret: refererSecret,
        ...overrides,
    });
}

async function signupAndLogin(): Promise<{ profile: UserProfile; tokens: { current?: TokenResponse }; client: PasetoAuthClient }> {
    const username = uniqueName("user");
    const profile = await anonymous().signup(signupRequest(username));
    const tokens: { current?: TokenResponse } = {};
    tokens.current = await anonymous().login(new LoginRequest({ username, password }));
    return { profile, tokens, client: signedIn(tokens) };
}

/** Runs `call`, which must fail, and returns the error the generated client threw. */
async function failure(call: () => Promise<unknown>): Promise<ApiException> {
    try {
        await call();
    } catch (error) {
        assert.ok(ApiException.isApiException(error), `expected an ApiException, got ${String(error)}`);
        return error;
    }
    assert.fail("the call succeeded");
}

/** Checks that the error is the documented problem: a ValidationProblem for a 400, a Problem otherwise. */
function assertProblem(error: ApiException, status: number): Problem | ValidationProblem {
    assert.equal(error.status, status);
    assert.match(String(error.headers["content-type"]), /^application\/problem\+json/);
    const type = status === 400 ? ValidationProblem : Problem;
    assert.ok(error.result instanceof type, `the body is read as a ${type.name}`);
    const problem: Problem | ValidationProblem = error.result;
    assert.equal(problem.status, status);
    assert.ok(problem.type.length > 0 && problem.title.length > 0 && problem.detail.length > 0 && problem.trace_id.length > 0);
    assert.equal(error.message, problem.detail, "the message is what the service said");
    return problem;
}

describe("signup", () => {
    it("creates the account and returns its profile", async () => {
        const username = uniqueName("alice");
        const profile = await anonymous().signup(signupRequest(username, { firstname: "Alice" }));

        assert.ok(profile instanceof UserProfile);
        assert.ok(Number.isInteger(profile.id) && profile.id > 0);
        assert.equal(profile.username, username);
        assert.equal(profile.email, `${username}@example.com`);
        assert.equal(profile.firstname, "Alice");
        assert.equal(profile.role, "member");
        assert.equal(profile.is_active, true);
        assert.ok(profile.created_at instanceof Date && !Number.isNaN(profile.created_at.getTime()));
        assert.ok(Math.abs(profile.created_at.getTime() - Date.now()) < 60_000);
    });

    it("answers a taken username, in any case, with a 409 problem", async () => {
        const username = uniqueName("taken");
        await anonymous().signup(signupRequest(username));

        const error = await failure(() =>
            anonymous().signup(signupRequest(username.toUpperCase(), { email: `other-${username}@example.com` })));

        assertProblem(error, 409);
    });

    it("answers invalid fields with a 400 that lists them by JSON name", async () => {
        const error = await failure(() =>
            anonymous().signup(signupRequest("x", { email: "not-an-email", password: "short" })));

        assertProblem(error, 400);
        assert.ok(error.result instanceof ValidationProblem, "a 400 is read as a ValidationProblem");
        const problem: ValidationProblem = error.result;
        assert.deepEqual(Object.keys(problem.errors ?? {}).sort(), ["email", "password", "username"]);
        assert.ok(problem.errors?.["password"]?.some((message) => message.includes("12")));
    });

    it("answers a wrong referer secret with a 403 problem", async () => {
        const error = await failure(() =>
            anonymous().signup(signupRequest(uniqueName("nosecret"), { referer_secret: "wrong" })));

        assertProblem(error, 403);
    });
});

describe("login", () => {
    it("returns a PASETO v4 access token and a refresh token", async () => {
        const username = uniqueName("bob");
        await anonymous().signup(signupRequest(username));

        const tokens = await anonymous().login(new LoginRequest({ username, password }));

        assert.ok(tokens instanceof TokenResponse);
        assert.match(tokens.access_token, /^v4\.local\./);
        assert.equal(tokens.token_type, "bearer");
        assert.ok(tokens.expires_in > 0 && tokens.refresh_expires_in > 0);
        assert.ok(tokens.refresh_token.length >= 40);
        assert.match(tokens.session_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });

    it("accepts the email in place of the username", async () => {
        const username = uniqueName("carol");
        await anonymous().signup(signupRequest(username));

        const tokens = await anonymous().login(new LoginRequest({ username: `${username}@example.com`, password }));

        assert.match(tokens.access_token, /^v4\.local\./);
    });

    it("answers a wrong password with a 401 problem and WWW-Authenticate", async () => {
        const username = uniqueName("dave");
        await anonymous().signup(signupRequest(username));

        const error = await failure(() => anonymous().login(new LoginRequest({ username, password: "not the password at all" })));

        assertProblem(error, 401);
        assert.equal(error.headers["www-authenticate"], "Bearer");
    });

    it("answers an unknown user with the same 401", async () => {
        const error = await failure(() => anonymous().login(new LoginRequest({ username: uniqueName("nobody"), password })));

        assertProblem(error, 401);
    });
});

describe("profile", () => {
    it("reads the caller's own profile with the access token", async () => {
        const { profile, client } = await signupAndLogin();

        const me = await client.getMe();

        assert.deepEqual(me, profile);
    });

    it("answers a request without a token with a 401 problem", async () => {
        const error = await failure(() => anonymous().getMe());

        assertProblem(error, 401);
    });

    it("shows another member's profile without the email", async () => {
        const { profile: other } = await signupAndLogin();
        const { client } = await signupAndLogin();

        const page = await client.getByUsername(other.username);

        assert.equal(page.username, other.username);
        assert.equal(page.email, undefined);
    });

    it("answers an unknown username with a 404 problem", async () => {
        const { client } = await signupAndLogin();

        const error = await failure(() => client.getByUsername(uniqueName("ghost")));

        assertProblem(error, 404);
    });
});

describe("refresh", () => {
    it("exchanges the refresh token for a new pair that works", async () => {
        const { tokens, client } = await signupAndLogin();
        const first = tokens.current!;

        tokens.current = await anonymous().refresh(new RefreshTokensRequest({ refresh_token: first.refresh_token }));

        assert.notEqual(tokens.current.access_token, first.access_token);
        assert.notEqual(tokens.current.refresh_token, first.refresh_token);
        assert.equal(tokens.current.session_id, first.session_id);
        assert.ok((await client.getMe()).id > 0);
    });

    it("refuses a spent refresh token and ends the session", async () => {
        const { tokens, client } = await signupAndLogin();
        const spent = tokens.current!.refresh_token;
        tokens.current = await anonymous().refresh(new RefreshTokensRequest({ refresh_token: spent }));

        const error = await failure(() => anonymous().refresh(new RefreshTokensRequest({ refresh_token: spent })));

        assertProblem(error, 401);
        assertProblem(await failure(() => client.getMe()), 401);
    });
});

describe("sessions", () => {
    it("lists the caller's sessions and marks the current one", async () => {
        const { profile, tokens, client } = await signupAndLogin();
        const other = await anonymous().login(new LoginRequest({ username: profile.username, password }));

        const sessions = await client.listSessions();

        assert.deepEqual(sessions.items.map((s) => s.id).sort(), [tokens.current!.session_id, other.session_id].sort());
        const current = sessions.items.find((s) => s.current);
        assert.equal(current?.id, tokens.current!.session_id);
        assert.ok(current.expires_at instanceof Date && current.expires_at.getTime() > Date.now());
    });

    it("revokes another session of the caller", async () => {
        const { profile, client } = await signupAndLogin();
        const otherTokens = { current: await anonymous().login(new LoginRequest({ username: profile.username, password })) };

        await client.revokeSession(otherTokens.current.session_id);

        assertProblem(await failure(() => signedIn(otherTokens).getMe()), 401);
        assert.equal((await client.listSessions()).items.length, 1);
    });

    it("answers a session id that is not the caller's with a 404 problem", async () => {
        const { client } = await signupAndLogin();
        const { tokens: strangers } = await signupAndLogin();

        assertProblem(await failure(() => client.revokeSession(strangers.current!.session_id)), 404);
    });

    it("revokes every other session at once", async () => {
        const { profile, tokens, client } = await signupAndLogin();
        for (let i = 0; i < 2; i++) {
            await anonymous().login(new LoginRequest({ username: profile.username, password }));
        }

        await client.revokeOtherSessions();

        const sessions = await client.listSessions();
        assert.deepEqual(sessions.items.map((s) => s.id), [tokens.current!.session_id]);
    });
});

describe("logout", () => {
    it("ends the session: its access and refresh tokens stop working", async () => {
        const { tokens, client } = await signupAndLogin();
        const ended = tokens.current!;

        await client.logout();

        assertProblem(await failure(() => client.getMe()), 401);
        assertProblem(await failure(() => anonymous().refresh(new RefreshTokensRequest({ refresh_token: ended.refresh_token }))), 401);
    });
});

describe("keys", () => {
    it("lists no public keys while tokens use purpose local", async () => {
        const keys = await anonymous().getKeys();

        assert.deepEqual(keys.keys, []);
    });
});

/** What an authenticator app computes (RFC 6238): HMAC-SHA-1 of the 30-second step, 6 digits. */
function totp(base32: string, at: number = Date.now()): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let bits = "";
    for (const c of base32) {
        bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
    }
    const secret = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
    const mac = createHmac("sha1", secret).update(counter).digest();
    const offset = mac[mac.length - 1]! & 0x0f;
    return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

describe("second factor", () => {
    it("tells mfa-required from other 403s by its type, and finishes the login with a code", async () => {
        const { profile, client } = await signupAndLogin();
        const enrollment = await client.enrollTotp(new EnrollTotpRequest({ password }));
        assert.match(enrollment.secret, /^[A-Z2-7]{32}$/);
        assert.ok(enrollment.otpauth_uri.startsWith(`otpauth://totp/Paseto.Auth:${profile.username}?`));
        // The code of the step before: within the accepted drift, and leaving this step's code for the login.
        const codes = await client.confirmTotp(new ConfirmTotpRequest({ code: totp(enrollment.secret, Date.now() - 30_000) }));
        assert.equal(codes.recovery_codes.length, 10);

        const error = await failure(() => anonymous().login(new LoginRequest({ username: profile.username, password })));
        assert.equal(error.status, 403);
        assert.ok(error.result instanceof MfaRequiredProblem, "the 403 of login is read as an MfaRequiredProblem");
        const challenge: MfaRequiredProblem = error.result;
        assert.equal(challenge.type, "/problems/mfa-required");
        assert.deepEqual(challenge.methods, ["totp", "recovery_code"]);
        assert.ok(challenge.mfa_token);

        const tokens = await anonymous().loginMfa(new MfaLoginRequest({ mfa_token: challenge.mfa_token, code: totp(enrollment.secret) }));
        assert.ok(tokens.access_token.startsWith("v4."));
    });
});
