// The account console in a real Chromium, against the real API (its Release build, a fresh
// PostgreSQL database) sending real mail to a local sink: the flows a person goes through,
// axe-core on every page at 360 px and desktop width, one flow by keyboard alone.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { refererSecret, repositoryRoot, startApi, type RunningApi } from "../../typescript/test/support/api.js";
import { checkPage, openBrowser, type Browser } from "./support/browser.js";
import { addVirtualAuthenticator, recordCredentialRequests, recordedRequests, type VirtualAuthenticator } from "./support/authenticator.js";
import { accountLink, freePort, startMailSink, type MailSink } from "./support/mail.js";
import { Authenticator } from "./support/totp.js";

const root = repositoryRoot();
const password = "correct horse battery staple";
const newPassword = "a different long passphrase";
const name = `ana_${randomBytes(3).toString("hex")}`;
const email = `${name}@example.com`;

let sink: MailSink;
let api: RunningApi;
let browser: Browser;
let page: Page;
let base: string;

async function call(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.body) {
        headers.set("Content-Type", "application/json");
    }
    if (init.token) {
        headers.set("Authorization", `Bearer ${init.token}`);
    }
    return fetch(`${api.baseUrl}${path}`, { ...init, headers });
}

async function signUp(username: string, address: string): Promise<void> {
    const response = await call("/v1/users/signup", {
        method: "POST",
        body: JSON.stringify({ username, email: address, password, firstname: "Ana", referer_secret: refererSecret }),
    });
    const text = await response.text();
    assert.equal(response.status, 201, text);
}

/** A session of its own, as another program would start one. */
async function loginElsewhere(username: string, secret: string, userAgent: string): Promise<{ access_token: string; refresh_token: string; session_id: string }> {
    const response = await call("/v1/login", { method: "POST", headers: { "User-Agent": userAgent }, body: JSON.stringify({ username, password: secret }) });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    return JSON.parse(text) as { access_token: string; refresh_token: string; session_id: string };
}

async function heading(): Promise<string> {
    return (await page.locator("main h1").innerText()).trim();
}

async function signInThroughThePage(username: string, secret: string): Promise<void> {
    await page.goto(`${base}/account/sign-in`);
    await page.getByLabel("Username or email").fill(username);
    await page.getByLabel("Password").fill(secret);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("heading", { name: /^Hello, / }).waitFor();
}

before(async () => {
    sink = await startMailSink(root);
    const port = await freePort();
    // localhost, not 127.0.0.1: passkeys need a domain as relying-party id (an IP address cannot be
    // one), and http://localhost is a secure context, as WebAuthn requires.
    base = `http://localhost:${port}`;
    api = await startApi({
        port,
        env: {
            Email__Smtp__Host: "127.0.0.1",
            Email__Smtp__Port: String(sink.smtpPort),
            Email__Smtp__Security: "none",
            Email__From: "Paseto.Auth <no-reply@localhost>",
            Email__PublicBaseUrl: base,
        },
    });
    browser = await openBrowser();
    page = browser.page;
    await signUp(name, email);
}, { timeout: 120_000 });

after(async () => {
    await browser?.close();
    await api?.stop();
    await sink?.stop();
});

describe("the account console in Chromium", () => {
    it("signs in with the username and password, keeping the access token out of storage", async () => {
        await page.goto(`${base}/account/`);
        assert.equal(await heading(), "Sign in");
        await checkPage(page, root, "sign-in");

        const login = page.waitForResponse((r) => r.url().endsWith("/v1/login"));
        await page.getByLabel("Username or email").fill(name);
        await page.getByLabel("Password").fill(password);
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        const tokens = await (await login).json() as { access_token: string; refresh_token: string; device_token: string };
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();

        const stored = await page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage } }));
        assert.deepEqual(stored.local, { "paseto-auth.device-token": tokens.device_token });
        assert.deepEqual(stored.session, { "paseto-auth.refresh-token": tokens.refresh_token });
        assert.ok(!JSON.stringify(stored).includes(tokens.access_token), "the access token is in memory only");
        assert.match(await page.locator("main").innerText(), /not verified/);
        await checkPage(page, root, "profile");
    });

    it("stays signed in across a reload", async () => {
        await page.reload();
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        assert.equal(new URL(page.url()).pathname, "/account/profile");
    });

    it("refreshes once when the API says the access token expired, and carries on", async () => {
        await page.goto(`${base}/account/profile`);
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        const before = await page.evaluate(() => sessionStorage.getItem("paseto-auth.refresh-token"));
        const refreshes: number[] = [];
        const onRequest = (request: { url(): string }) => {
            if (request.url().endsWith("/v1/token/refresh")) {
                refreshes.push(Date.now());
            }
        };
        page.on("request", onRequest);
        // The API's answer to an access token past its exp, once; the refresh and the retry are real.
        let expired = false;
        await page.route("**/v1/sessions", async (route) => {
            if (expired) {
                await route.continue();
                return;
            }
            expired = true;
            await route.fulfill({
                status: 401,
                contentType: "application/problem+json",
                headers: { "WWW-Authenticate": 'Bearer error="invalid_token", error_description="The access token expired"' },
                body: JSON.stringify({ type: "/problems/token-expired", title: "Unauthorized", status: 401, detail: "The access token expired." }),
            });
        });
        try {
            await page.getByRole("link", { name: "Sessions" }).click();
            await page.getByRole("heading", { name: "Sessions and devices" }).waitFor();
        } finally {
            await page.unrouteAll();
            page.off("request", onRequest);
        }
        assert.equal(refreshes.length, 1);
        const after = await page.evaluate(() => sessionStorage.getItem("paseto-auth.refresh-token"));
        assert.ok(after && after !== before, "the rotated refresh token is kept");
    });

    it("verifies the email from the mail's link, only when the button is pressed", async () => {
        const link = accountLink(await sink.waitFor(email, "Confirm your email address"));
        assert.ok(link.startsWith(`${base}/account/verify-email#token=`), link);

        await page.goto(link);
        assert.equal(await heading(), "Verify your email address");
        await checkPage(page, root, "verify-email");
        const me = await loginElsewhere(name, password, "curl/8.5.0");
        const profile = async () => await (await call("/v1/users/me", { token: me.access_token })).json() as { email_verified: boolean };
        assert.equal((await profile()).email_verified, false, "opening the link spends nothing");

        await page.getByRole("button", { name: "Verify my address" }).click();
        await page.getByText("Your email address is verified.").waitFor();
        assert.equal((await profile()).email_verified, true);
        assert.equal(new URL(page.url()).hash, "", "the used token leaves the address bar");
        // The session started here for the check stays, for the sessions page.
    });

    it("lists the sessions, ends another one, and the API agrees it is gone", async () => {
        const other = await loginElsewhere(name, password, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
        await page.goto(`${base}/account/sessions`);
        assert.equal(await heading(), "Sessions and devices");
        const rows = page.locator("main li.item");
        await rows.first().waitFor();
        assert.match(await page.locator("main").innerText(), /this session/);
        assert.match(await page.locator("main").innerText(), /Firefox on Linux/);
        await checkPage(page, root, "sessions");

        await page.getByRole("button", { name: /^End this session, of Firefox on Linux/ }).click();
        await page.getByText("The session of Firefox on Linux has ended.").waitFor();
        assert.doesNotMatch(await page.locator("main ul.items").first().innerText(), /Firefox/);
        assert.equal((await call("/v1/users/me", { token: other.access_token })).status, 401);

        await page.reload();
        await page.getByRole("heading", { name: "Sessions and devices" }).waitFor();
        assert.doesNotMatch(await page.locator("main ul.items").first().innerText(), /Firefox/);
    });

    it("ends all other sessions", async () => {
        const other = await loginElsewhere(name, password, "curl/8.5.0");
        await page.reload();
        await page.getByRole("button", { name: "End all other sessions" }).click();
        await page.getByText("Every other session has ended.").waitFor();
        assert.equal((await call("/v1/users/me", { token: other.access_token })).status, 401);
        const mine = await page.locator("main ul.items").first().locator("li").count();
        assert.equal(mine, 1);
    });

    it("reads the security history as sentences, newest first, a page at a time", async () => {
        // Each is a sign-in, a new device (no device token) and a sign-out: more than a page of 20.
        // Signed out again, or the limit of active sessions would end the browser's, the oldest.
        for (let i = 0; i < 5; i += 1) {
            const session = await loginElsewhere(name, password, "curl/8.5.0");
            assert.equal((await call("/v1/logout", { method: "POST", token: session.access_token })).status, 204);
        }
        await page.goto(`${base}/account/activity`);
        assert.equal(await heading(), "Security history");
        const sentences = await page.locator("main .events .sentence").allInnerTexts();
        assert.ok(sentences.length >= 5, sentences.join("\n"));
        assert.ok(sentences.every((s) => !/[a-z]+_[a-z]+/.test(s)), `no raw type names:\n${sentences.join("\n")}`);
        assert.equal(sentences.length, 20, "the first page");
        await page.getByRole("button", { name: "Show older events" }).click();
        await page.locator("main .events li:nth-child(21)").waitFor();
        assert.ok(await page.locator("main .events li:nth-child(21)").evaluate((item) => item === document.activeElement), "focus on the first older event");
        const all = await page.locator("main .events .sentence").allInnerTexts();
        const ids = await page.locator("main .events time").count();
        assert.equal(ids, all.length);
        assert.ok(all.some((s) => /^Signed in from Chrome on Linux at 127\.0\.0\.1$/.test(s)), all.join("\n"));
        assert.ok(all.some((s) => /^Signed out from a Node\.js program at 127\.0\.0\.1$/.test(s)), all.join("\n"));
        assert.match(all.at(-1) ?? "", /^Account created/, "the oldest last");
        assert.ok(all.some((s) => /^You ended a session, using Chrome on Linux at 127\.0\.0\.1$/.test(s)), all.join("\n"));
        const times = await page.locator("main .events time").evaluateAll((nodes) => nodes.map((n) => Date.parse(n.getAttribute("datetime") ?? "")));
        assert.deepEqual(times, [...times].sort((a, b) => b - a));
        assert.ok(all.some((s) => /^Email address a\*\*\*@example\.com verified/.test(s)), all.join("\n"));
        assert.ok(all.every((s) => !/[a-z]+_[a-z]+/.test(s)), `no raw type names:\n${all.join("\n")}`);
        await checkPage(page, root, "activity");
    });

    it("shows a validation error at its field and a wrong current password as such", async () => {
        await page.goto(`${base}/account/password`);
        assert.equal(await heading(), "Change your password");
        await checkPage(page, root, "password");
        await page.getByLabel("Current password").fill(password);
        await page.getByLabel("New password").fill("short");
        await page.getByRole("button", { name: "Change password" }).click();
        const newField = page.getByLabel("New password");
        await page.locator("input[aria-invalid=true]").waitFor();
        assert.equal(await newField.getAttribute("aria-invalid"), "true");
        assert.ok(await newField.evaluate((input) => input === document.activeElement), "focus goes to the field to fix");
        await checkPage(page, root, "password-invalid");

        await page.getByLabel("Current password").fill("not my password at all");
        await newField.fill(newPassword);
        await page.getByRole("button", { name: "Change password" }).click();
        await page.getByText("Your current password is not right.").waitFor();
        assert.equal(await heading(), "Change your password", "a wrong password does not sign out");
    });

    it("says how long to wait when sign-in is throttled", async () => {
        const other = await browser.context.newPage();
        try {
            await other.goto(`${base}/account/sign-in`);
            // A name of its own; the throttle answers alike for unknown accounts.
            for (let attempt = 0; attempt < 6; attempt += 1) {
                await other.getByLabel("Username or email").fill(`nobody_${name}`);
                await other.getByLabel("Password").fill(`wrong password ${attempt}`);
                await other.getByRole("button", { name: "Sign in", exact: true }).click();
                await other.locator(".message.error").waitFor();
                if (/Too many attempts/.test(await other.locator(".message.error").innerText())) {
                    break;
                }
            }
            assert.match(await other.locator(".message.error").innerText(), /^Too many attempts\. Try again in \d+ (second|seconds|minutes)\.$/);
        } finally {
            await other.close();
        }
    });

    it("signs out: back at sign-in, the session ended at the API", async () => {
        await page.goto(`${base}/account/profile`);
        const refresh = await page.evaluate(() => sessionStorage.getItem("paseto-auth.refresh-token"));
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByText("You are signed out.").waitFor();
        assert.equal(await heading(), "Sign in");
        assert.equal(await page.evaluate(() => sessionStorage.getItem("paseto-auth.refresh-token")), null);
        assert.notEqual(await page.evaluate(() => localStorage.getItem("paseto-auth.device-token")), null, "the device stays known");
        const reuse = await call("/v1/token/refresh", { method: "POST", body: JSON.stringify({ refresh_token: refresh }) });
        assert.equal(reuse.status, 401);
    });

    it("sends a person whose session ended elsewhere back to sign-in", async () => {
        await signInThroughThePage(name, password);
        const elsewhere = await loginElsewhere(name, password, "curl/8.5.0");
        // From the other session: every session but that one ends, this tab's included.
        assert.equal((await call("/v1/sessions", { method: "DELETE", token: elsewhere.access_token })).status, 204);
        await page.getByRole("link", { name: "Sessions" }).click();
        await page.getByText("Your session has ended. Sign in again.").waitFor();
        assert.equal(await heading(), "Sign in");
        assert.equal(new URL(page.url()).pathname, "/account/sign-in");
    });

    it("resets a forgotten password from the mail", async () => {
        await page.goto(`${base}/account/sign-in`);
        await page.getByRole("link", { name: "Forgot your password?" }).click();
        assert.equal(await heading(), "Forgot your password?");
        await checkPage(page, root, "forgot-password");
        await page.getByLabel("Email address of your account").fill(email);
        await page.getByRole("button", { name: "Mail me a reset link" }).click();
        await page.getByText(/a link to set a new password is on its way/).waitFor();

        const link = accountLink(await sink.waitFor(email, "Reset your password"));
        assert.ok(link.startsWith(`${base}/account/reset-password#token=`), link);
        await page.goto(link);
        assert.equal(await heading(), "Choose a new password");
        await checkPage(page, root, "reset-password");
        await page.getByLabel("New password").fill(newPassword);
        await page.getByRole("button", { name: "Set the new password" }).click();
        await page.getByText(/Your password is set/).waitFor();
        assert.equal(await heading(), "Sign in");

        await page.getByLabel("Username or email").fill(email);
        await page.getByLabel("Password").fill(newPassword);
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
    });

    it("says so when a mail link has lost its token, or its token is spent", async () => {
        await page.goto(`${base}/account/verify-email`);
        await page.getByText(/This link is incomplete/).waitFor();
        await page.goto(`${base}/account/confirm-email-change#token=${"A".repeat(43)}`);
        await checkPage(page, root, "confirm-email-change");
        await page.getByRole("button", { name: "Confirm the new address" }).click();
        await page.locator(".message.error").waitFor();
        assert.doesNotMatch(await page.locator(".message.error").innerText(), /^Something went wrong/);
        await page.goto(`${base}/account/cancel-email-change#token=${"A".repeat(43)}`);
        await checkPage(page, root, "cancel-email-change");
    });

    it("runs a flow by keyboard alone: sign out, sign in, end another session, sign out", async () => {
        const focused = () => page.evaluate(() => {
            const element = document.activeElement as HTMLElement | null;
            return element ? `${element.tagName.toLowerCase()}:${element.getAttribute("name") ?? element.textContent?.trim() ?? ""}` : "";
        });
        const signOutByKeyboard = async () => {
            // From the page's heading (or the news below it), one step back is the navigation's last control.
            await page.keyboard.press("Shift+Tab");
            assert.equal(await focused(), "button:Sign out");
            await page.keyboard.press("Enter");
            await page.getByText("You are signed out.").waitFor();
        };
        await page.goto(`${base}/account/profile`);
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        await signOutByKeyboard();

        // Focus is on the sign-in page's heading: the next stop is the first field.
        await page.keyboard.press("Tab");
        assert.equal(await focused(), "input:username");
        await page.keyboard.type(email);
        await page.keyboard.press("Tab");
        assert.equal(await focused(), "input:password");
        await page.keyboard.type(newPassword);
        await page.keyboard.press("Enter");
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        const other = await loginElsewhere(name, newPassword, "curl/8.5.0");

        // Back from the heading through the navigation to "Sessions".
        const visited: string[] = [];
        for (let i = 0; i < 12 && !visited.includes("a:Sessions"); i += 1) {
            await page.keyboard.press("Shift+Tab");
            visited.push(await focused());
        }
        assert.ok(visited.includes("a:Sessions"), visited.join(", "));
        const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
        assert.notEqual(outline, "none", "focus is visible");
        await page.keyboard.press("Enter");
        await page.getByRole("heading", { name: "Sessions and devices" }).waitFor();
        assert.equal(await page.evaluate(() => document.activeElement?.tagName), "H1", "focus moves to the new page's heading");

        // The first control of the page is the other session's "End this session".
        await page.keyboard.press("Tab");
        assert.equal(await focused(), "button:End this session");
        await page.keyboard.press("Enter");
        await page.getByText("The session of curl has ended.").waitFor();
        assert.equal((await call("/v1/users/me", { token: other.access_token })).status, 401);
        assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("message")), true, "focus on the news");

        // From the news, one step back is the navigation's last control again.
        await signOutByKeyboard();
    });

    it("changes the email through the mail to the new address, and says when a username is taken", async () => {
        const taken = `taken_${name}`;
        await signUp(taken, `${taken}@example.com`);
        await signInThroughThePage(email, newPassword);
        const username = page.getByLabel("Username", { exact: true });
        const current = page.getByLabel(/^Current password/);
        const save = page.getByRole("button", { name: "Save changes" });

        await username.fill(taken);
        await current.fill(newPassword);
        await save.click();
        await page.locator(".message.error").waitFor();
        assert.match(await page.locator(".message.error").innerText(), /already/i);

        await username.fill(name);
        const moved = `moved_${email}`;
        await page.getByLabel("Email", { exact: true }).fill(moved);
        await current.fill(newPassword);
        await save.click();
        await page.getByText(`Saved. We mailed a link to ${moved}: your email changes once you open it.`).waitFor();
        const waiting = await page.locator("main dl").innerText();
        assert.ok(waiting.includes("Waiting to become your email") && waiting.includes(moved), waiting);
        await checkPage(page, root, "profile-email-change");

        const link = accountLink(await sink.waitFor(moved, "Confirm your new email address"));
        assert.ok(link.startsWith(`${base}/account/confirm-email-change#token=`), link);
        await page.goto(link);
        await page.getByRole("button", { name: "Confirm the new address" }).click();
        await page.getByText("Your account's email address is changed.").waitFor();
        await page.getByRole("link", { name: "Go to your profile" }).click();
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        const facts = await page.locator("main dl").innerText();
        assert.ok(facts.includes(moved), facts);
        assert.match(facts, /verified/);
        assert.doesNotMatch(facts, /not verified|Waiting/);
    });

    it("keeps the device token: the browser's later sign-ins are no new device", async () => {
        // The browser signed in several times above; only the first had no device token, and an
        // account's first sign-in is no news. Without the token each later one would be mailed.
        const reader = await loginElsewhere(name, newPassword, "curl/8.5.0");
        const page1 = await (await call("/v1/users/me/events?type=new_device_sign_in&limit=100", { token: reader.access_token })).json() as { items: { user_agent?: string }[] };
        const signIns = await (await call("/v1/users/me/events?type=login_succeeded&limit=100", { token: reader.access_token })).json() as { items: { user_agent?: string }[] };
        assert.ok(signIns.items.filter((e) => e.user_agent?.includes("Chrome")).length >= 4, "the browser signed in several times");
        assert.deepEqual(page1.items.filter((e) => e.user_agent?.includes("Chrome")), []);
        assert.equal((await call("/v1/logout", { method: "POST", token: reader.access_token })).status, 204);
    });

    it("the deactivate page, and no script error or policy violation on any page", async () => {
        await page.goto(`${base}/account/deactivate`);
        assert.equal(await heading(), "Deactivate your account");
        await checkPage(page, root, "deactivate");
        await page.getByLabel("Your password").fill(newPassword);
        await page.getByRole("button", { name: "Deactivate my account" }).click();
        await page.getByText(/Your account is deactivated/).waitFor();
        const login = await call("/v1/login", { method: "POST", body: JSON.stringify({ username: name, password: newPassword }) });
        assert.equal(login.status, 401);
        assert.deepEqual(browser.errors, []);
    });
});

describe("two-step sign-in in the console", () => {
    const bo = `bo_${randomBytes(3).toString("hex")}`;
    let app: Authenticator;
    let codes: string[] = [];
    let current = password;

    async function signInWithPassword(): Promise<void> {
        await page.goto(`${base}/account/sign-in`);
        await page.getByLabel("Username or email").fill(bo);
        await page.getByLabel("Password").fill(current);
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
    }

    async function signOut(): Promise<void> {
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByText("You are signed out.").waitFor();
    }

    before(async () => {
        await signUp(bo, `${bo}@example.com`);
    });

    it("turns on an authenticator app: the QR code, the key as text, a code, then the recovery codes once", async () => {
        await signInWithPassword();
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        await page.getByRole("link", { name: "Two-step sign-in" }).click();
        // The page renders once its data is in: wait for its heading, not only the click.
        await page.getByRole("heading", { name: "Two-step sign-in" }).waitFor();
        await checkPage(page, root, "two-step-off");

        await page.getByLabel("Your password").fill(password);
        await page.getByRole("button", { name: "Set up an authenticator app" }).click();
        const qr = page.getByRole("img", { name: /QR code/ });
        await qr.waitFor();
        assert.match(await qr.getAttribute("src") ?? "", /^data:image\/svg\+xml,/);
        // Drawn, so the page's policy let the data: image in (a refused one has no size).
        await page.waitForFunction(() => ((document.querySelector("img.qr") as HTMLImageElement | null)?.naturalWidth ?? 0) > 0);
        const secret = (await page.locator("main code.secret").innerText()).replace(/\s+/g, "");
        assert.match(secret, /^[A-Z2-7]{32,}$/);
        const code = page.getByLabel("Code the app shows now");
        assert.ok(await code.evaluate((input) => input === document.activeElement), "focus on the code");
        await checkPage(page, root, "two-step-enrol");

        app = new Authenticator(secret);
        await code.fill(await app.next());
        await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
        await page.getByRole("heading", { name: "Your recovery codes" }).waitFor();
        codes = await page.locator("main ol.codes code").allInnerTexts();
        assert.equal(codes.length, 10);
        assert.ok(codes.every((c) => /^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/i.test(c)), codes.join(" "));
        assert.match(await page.locator("main").innerText(), /only time they are shown/);
        const download = await page.getByRole("link", { name: "Download the codes" }).getAttribute("download");
        assert.equal(download, "recovery-codes.txt");
        await checkPage(page, root, "two-step-recovery-codes");

        await page.getByRole("link", { name: "Done: I have stored them" }).click();
        await page.getByRole("button", { name: "Turn off two-step sign-in" }).waitFor();
        assert.doesNotMatch(await page.locator("main").innerText(), new RegExp(codes[0] ?? "-"), "the codes are not shown again");
        await checkPage(page, root, "two-step-on");
        await signOut();
    });

    it("signs in with a code after the password; a wrong one says so", async () => {
        const device = await page.evaluate(() => localStorage.getItem("paseto-auth.device-token"));
        await signInWithPassword();
        const code = page.getByLabel("Code from your authenticator app");
        await code.waitFor();
        assert.equal(await code.getAttribute("autocomplete"), "one-time-code");
        assert.equal(await code.getAttribute("inputmode"), "numeric");
        assert.ok(await code.evaluate((input) => input === document.activeElement), "focus on the code");
        assert.equal(await page.evaluate(() => sessionStorage.getItem("paseto-auth.refresh-token")), null, "no session before the code");
        await checkPage(page, root, "sign-in-code");

        // Not a code of any step near now (a one-in-a-million chance): one of the account's ten an hour.
        const good = await app.next();
        await code.fill(good === "000000" ? "111111" : "000000");
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        await page.getByText(/That code is not right/).waitFor();
        assert.equal(await heading(), "Sign in");

        const login = page.waitForRequest((r) => r.url().endsWith("/v1/login/mfa"));
        await code.fill(good);
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        const sent = (await login).postDataJSON() as { device_token?: string };
        assert.equal(sent.device_token, device, "the kept device token goes with the code");
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        assert.notEqual(await page.evaluate(() => sessionStorage.getItem("paseto-auth.refresh-token")), null);
        await signOut();
    });

    it("a sign-in spent by wrong codes goes back to the password step", async () => {
        await signInWithPassword();
        const code = page.getByLabel("Code from your authenticator app");
        // The service spends an mfa_token on its fifth wrong code (5 of the account's 10 an hour).
        const answers: string[] = [];
        for (let attempt = 0; attempt < 5; attempt += 1) {
            await code.fill(`99999${attempt}`);
            const answer = page.waitForResponse((r) => r.url().endsWith("/v1/login/mfa"));
            await page.getByRole("button", { name: "Sign in", exact: true }).click();
            answers.push(((await (await answer).json()) as { type: string }).type);
        }
        assert.deepEqual(answers, [...Array<string>(4).fill("/problems/wrong-mfa-code"), "/problems/mfa-token-invalid"]);
        await page.getByText(/This sign-in has run out/).waitFor();
        await page.getByLabel("Password").waitFor();
        assert.ok(await page.getByLabel("Username or email").evaluate((input) => input === document.activeElement), "focus back on the first field");
        assert.equal(await page.evaluate(() => sessionStorage.getItem("paseto-auth.refresh-token")), null);
    });

    it("signs in with a recovery code instead", async () => {
        await signInWithPassword();
        await page.getByRole("button", { name: "Use a recovery code instead" }).click();
        const recovery = page.getByLabel("Recovery code");
        assert.ok(await recovery.evaluate((input) => input === document.activeElement), "focus on the recovery code");
        await checkPage(page, root, "sign-in-recovery-code");
        await recovery.fill(codes[0] ?? "");
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
    });

    it("asks for a code to change the password, and takes it", async () => {
        await page.getByRole("link", { name: "Password" }).click();
        await page.getByRole("heading", { name: "Change your password" }).waitFor();
        const code = page.getByLabel("Code from your authenticator app, or a recovery code");
        await code.waitFor();
        await checkPage(page, root, "password-with-code");
        await page.getByLabel("Current password").fill(current);
        await page.getByLabel("New password").fill(newPassword);
        // A used recovery code is a wrong code: said at the field, and the session goes on.
        await code.fill(codes[0] ?? "");
        await page.getByRole("button", { name: "Change password" }).click();
        await page.getByText(/That code is not right/).waitFor();
        assert.equal(await code.getAttribute("aria-invalid"), "true");
        assert.equal(await heading(), "Change your password", "a wrong code does not sign out");

        await code.fill(await app.next());
        await page.getByRole("button", { name: "Change password" }).click();
        await page.getByText(/Your password is changed/).waitFor();
        current = newPassword;
    });

    it("resets a forgotten password with the factor: the code field is marked until a code comes", async () => {
        await signOut();
        await page.goto(`${base}/account/forgot-password`);
        await page.getByLabel("Email address of your account").fill(`${bo}@example.com`);
        await page.getByRole("button", { name: "Mail me a reset link" }).click();
        await page.getByText(/a link to set a new password is on its way/).waitFor();
        await page.goto(accountLink(await sink.waitFor(`${bo}@example.com`, "Reset your password")));
        const reset = "a third passphrase, long enough";
        await page.getByLabel("New password").fill(reset);
        await page.getByRole("button", { name: "Set the new password" }).click();
        await page.getByText(/two-step sign-in: enter a code/).waitFor();
        const code = page.getByLabel(/^Code from your authenticator app, or a recovery code/);
        assert.equal(await code.getAttribute("aria-invalid"), "true");
        assert.ok(await code.evaluate((input) => input === document.activeElement), "focus on the code");
        await checkPage(page, root, "reset-password-code");

        await code.fill(codes[1] ?? "");
        await page.getByRole("button", { name: "Set the new password" }).click();
        await page.getByText(/Your password is set/).waitFor();
        current = reset;
        await signInWithPassword();
        await page.getByRole("button", { name: "Use a recovery code instead" }).click();
        await page.getByLabel("Recovery code").fill(codes[2] ?? "");
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
    });

    it("turns it off with the password and a code", async () => {
        await page.getByRole("link", { name: "Two-step sign-in" }).click();
        await page.getByRole("button", { name: "Turn off two-step sign-in" }).waitFor();
        const off = page.locator("form").filter({ has: page.getByRole("button", { name: "Turn off two-step sign-in" }) });
        await off.getByLabel("Your password").fill(current);
        // The fourth code of this account may wait for the clock's next step.
        await off.getByLabel("Code from your authenticator app, or a recovery code").fill(await app.next());
        await off.getByRole("button", { name: "Turn off two-step sign-in" }).click();
        await page.getByText(/Two-step sign-in is off/).waitFor();
        await page.getByRole("button", { name: "Set up an authenticator app" }).waitFor();
        const login = await call("/v1/login", { method: "POST", body: JSON.stringify({ username: bo, password: current }) });
        assert.equal(login.status, 200, "the password alone signs in again");
        assert.deepEqual(browser.errors, []);
    });
});


describe("passkeys in the console", () => {
    const pk = `pk_${randomBytes(3).toString("hex")}`;
    const pt = `pt_${randomBytes(3).toString("hex")}`;
    let authenticator: VirtualAuthenticator;
    let recoveryCodes: string[] = [];
    let app: Authenticator;

    async function signOut(): Promise<void> {
        // The sign-in page that follows starts an autofill request; unanswered, as until a person picks.
        await authenticator.answering(false);
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByText("You are signed out.").waitFor();
    }

    /** Sessions of the API's own, started before the accounts had a factor (a password alone starts none after). */
    const sessions = new Map<string, string>();

    /** The API's view of an account's passkeys. */
    async function passkeysOf(username: string): Promise<{ id: string; name: string; last_used_at?: string | null }[]> {
        const response = await call("/v1/users/me/passkeys", { token: sessions.get(username) });
        const text = await response.text();
        assert.equal(response.status, 200, text);
        return (JSON.parse(text) as { items: { id: string; name: string; last_used_at?: string | null }[] }).items;
    }

    /** Signs in with the password, the autofill request kept waiting (as it is until a person picks a suggestion). */
    async function signInWithPassword(username: string): Promise<void> {
        await authenticator.answering(false);
        await page.goto(`${base}/account/sign-in`);
        await page.getByLabel("Username or email").fill(username);
        await page.getByLabel("Password").fill(password);
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
    }

    before(async () => {
        await signUp(pk, `${pk}@example.com`);
        await signUp(pt, `${pt}@example.com`);
        for (const username of [pk, pt]) {
            sessions.set(username, (await loginElsewhere(username, password, "curl/8.5.0")).access_token);
        }
        await recordCredentialRequests(page);
        authenticator = await addVirtualAuthenticator(page);
        // The block before ends signed in.
        await page.goto(`${base}/account/profile`);
        await page.locator("main h1").waitFor();
        if (await page.getByRole("button", { name: "Sign out" }).isVisible()) {
            await signOut();
        }
    });

    after(async () => {
        await authenticator?.remove();
    });

    it("adds a passkey with the password: the authenticator holds it, the list shows it, the recovery codes once", async () => {
        await signInWithPassword(pk);
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        await authenticator.answering(true);
        await page.getByRole("link", { name: "Passkeys" }).click();
        await page.getByRole("heading", { name: "Passkeys", exact: true }).waitFor();
        await page.getByText("No passkeys yet.").waitFor();
        await checkPage(page, root, "passkeys-none");

        await page.getByLabel("Name (optional)").fill("Test laptop");
        await page.getByLabel("Your password").fill(password);
        const added = page.waitForResponse((r) => r.url().endsWith("/v1/users/me/passkeys") && r.request().method() === "POST");
        await page.getByRole("button", { name: "Add a passkey" }).click();
        assert.equal((await added).status(), 201);

        const held = await authenticator.credentials();
        assert.equal(held.length, 1);
        assert.equal(held[0]?.rpId, "localhost");
        assert.equal(held[0]?.isResidentCredential, true, "a discoverable credential: it signs in without a username");
        assert.equal(held[0]?.userName, pk);
        // The user handle is random, not the user id (a small integer).
        assert.ok(Buffer.from(held[0]?.userHandle ?? "", "base64").length >= 16, "a random user handle");

        // The account's first factor: the recovery codes, shown once.
        await page.getByRole("heading", { name: "Your recovery codes" }).waitFor();
        recoveryCodes = await page.locator("main ol.codes code").allInnerTexts();
        assert.equal(recoveryCodes.length, 10);
        await page.getByRole("link", { name: "Done: I have stored them" }).click();
        await page.getByRole("heading", { name: "Passkeys", exact: true }).waitFor();
        const listed = await page.locator("main ul.items").innerText();
        assert.match(listed, /Test laptop/);
        assert.match(listed, /not used to sign in yet/);
        await checkPage(page, root, "passkeys");
    });

    it("renames the passkey, and the API has the new name", async () => {
        await page.getByRole("button", { name: "Rename the passkey Test laptop" }).click();
        const name = page.getByLabel("New name for Test laptop");
        assert.ok(await name.evaluate((input) => input === document.activeElement), "focus on the name");
        await name.fill("Work laptop");
        await checkPage(page, root, "passkeys-rename");
        await page.getByRole("button", { name: "Save the name" }).click();
        await page.getByText("The passkey is now called Work laptop.").waitFor();
        assert.deepEqual((await passkeysOf(pk)).map((p) => p.name), ["Work laptop"]);
    });

    it("signs in with the passkey from the button, typing no username; the page asked for autofill first", async () => {
        await signOut();
        // Autofill waits for a pick the headless browser cannot make: held, so the button is what signs in.
        await authenticator.answering(false);
        await page.goto(`${base}/account/sign-in`);
        const username = page.getByLabel("Username or email");
        assert.equal(await username.getAttribute("autocomplete"), "username webauthn", "the field offers passkeys among its suggestions");
        await page.waitForFunction(() => ((window as unknown as { webauthnCalls?: { mediation: string | null }[] }).webauthnCalls ?? []).some((c) => c.mediation === "conditional"));
        const waiting = (await recordedRequests(page)).filter((c) => c.mediation === "conditional");
        assert.equal(waiting.length, 1, "one autofill request");
        assert.ok(waiting[0]?.hasSignal && !waiting[0].aborted, "abortable, and waiting");
        assert.equal(waiting[0]?.allowCredentials ?? 0, 0, "discoverable: no credentials named");
        await checkPage(page, root, "sign-in-passkey");

        await authenticator.answering(true);
        const options = page.waitForRequest((r) => r.url().endsWith("/v1/passkeys/login/options"));
        await page.getByRole("button", { name: "Sign in with a passkey" }).click();
        assert.deepEqual((await options).postDataJSON(), {}, "no username sent");
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        assert.notEqual(await page.evaluate(() => sessionStorage.getItem("paseto-auth.refresh-token")), null, "a session, kept as a password sign-in's");
        const [used] = await passkeysOf(pk);
        assert.ok(used?.last_used_at, "the passkey's last use is kept");
        await page.getByRole("link", { name: "Passkeys" }).click();
        await page.getByText(/last used/).waitFor();
    });

    it("the button ends the waiting autofill request before its own", async () => {
        await signOut();
        await authenticator.answering(false);
        await page.goto(`${base}/account/sign-in`);
        await page.waitForFunction(() => ((window as unknown as { webauthnCalls?: { mediation: string | null }[] }).webauthnCalls ?? []).some((c) => c.mediation === "conditional"));
        // A request that cannot be answered stays pending; the button's must not wait behind it.
        await page.getByRole("button", { name: "Sign in with a passkey" }).click();
        await page.waitForFunction(() => ((window as unknown as { webauthnCalls?: unknown[] }).webauthnCalls ?? []).length >= 2);
        const calls = await recordedRequests(page);
        assert.equal(calls[0]?.mediation, "conditional");
        assert.equal(calls[0]?.aborted, true, "the autofill request was aborted");
        assert.equal(calls[1]?.mediation, null, "then the button's own request");
        // Nothing answers it: the page reloads to end it.
        await page.reload();
    });

    it("signs in from the autofill request once the passkey is picked", async () => {
        // Chromium's virtual authenticator answers a conditional request at once, as a person's pick of the suggestion would.
        await authenticator.answering(true);
        await page.goto(`${base}/account/sign-in`);
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        assert.equal(new URL(page.url()).pathname, "/account/profile");
        await signOut();
    });

    it("uses a passkey as the second factor after the password, on an account with an authenticator app", async () => {
        // pt turns on TOTP through the API, then adds a passkey in the console (the code is asked for).
        const token = sessions.get(pt);
        const enrolment = await (await call("/v1/users/me/mfa/totp", { method: "POST", token, body: JSON.stringify({ password }) })).json() as { secret: string };
        app = new Authenticator(enrolment.secret);
        const confirmed = await call("/v1/users/me/mfa/totp/confirm", { method: "POST", token, body: JSON.stringify({ code: await app.next() }) });
        assert.equal(confirmed.status, 200, await confirmed.text());

        await signInWithPassword(pt);
        await page.getByLabel("Code from your authenticator app").fill(await app.next());
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        await authenticator.answering(true);
        await page.getByRole("link", { name: "Passkeys" }).click();
        await page.getByLabel("Name (optional)").fill("Phone");
        await page.getByLabel("Your password").fill(password);
        await page.getByLabel("Code from your authenticator app, or a recovery code").fill(await app.next());
        await page.getByRole("button", { name: "Add a passkey" }).click();
        await page.getByText("The passkey Phone is added: it signs you in from now on.").waitFor();
        assert.equal((await authenticator.credentials()).length, 2);
        await signOut();

        await signInWithPassword(pt);
        const usePasskey = page.getByRole("button", { name: "Use your passkey" });
        await usePasskey.waitFor();
        assert.ok(await usePasskey.evaluate((b) => b === document.activeElement), "focus on the passkey, the quicker way");
        await page.getByLabel("Code from your authenticator app").waitFor();
        await checkPage(page, root, "sign-in-second-factor-passkey");
        await authenticator.answering(true);
        const options = page.waitForRequest((r) => r.url().endsWith("/v1/passkeys/login/options"));
        await usePasskey.click();
        const sent = (await options).postDataJSON() as { mfa_token?: string };
        assert.ok(sent.mfa_token, "the options are those of this sign-in's second step");
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        const [phone] = await passkeysOf(pt);
        assert.ok(phone?.last_used_at);
        await signOut();
    });

    it("removes a passkey with a fresh passkey assertion, and another with a code", async () => {
        // pk's passkey is its second factor now: the password, then the passkey.
        await signInWithPassword(pk);
        await authenticator.answering(true);
        await page.getByRole("button", { name: "Use your passkey" }).click();
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        await page.getByRole("link", { name: "Passkeys" }).click();
        await page.getByRole("button", { name: "Remove the passkey Work laptop" }).click();
        await page.getByText(/Removing Work laptop needs your second factor/).waitFor();
        await checkPage(page, root, "passkeys-remove");
        await page.getByRole("button", { name: "Confirm with a passkey and remove" }).click();
        await page.getByText("The passkey Work laptop is removed: it no longer signs you in.").waitFor();
        await page.getByText("No passkeys yet.").waitFor();
        assert.deepEqual(await passkeysOf(pk), []);
        await signOut();

        // pk has no factor left but its recovery codes: a password sign-in is enough again.
        await signInWithPassword(pk);
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        await signOut();

        await signInWithPassword(pt);
        await page.getByLabel("Code from your authenticator app").fill(await app.next());
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        await page.getByRole("heading", { name: "Hello, Ana" }).waitFor();
        await page.getByRole("link", { name: "Passkeys" }).click();
        await page.getByRole("button", { name: "Remove the passkey Phone" }).click();
        const code = page.locator("li.item").getByLabel("Code from your authenticator app, or a recovery code");
        // A used recovery code of another account is a wrong code: said at the field, nothing removed.
        await code.fill(recoveryCodes[0] ?? "");
        await page.getByRole("button", { name: "Remove with this code" }).click();
        await page.getByText(/That code is not right/).waitFor();
        assert.equal((await passkeysOf(pt)).length, 1);
        await code.fill(await app.next());
        await page.getByRole("button", { name: "Remove with this code" }).click();
        await page.getByText("The passkey Phone is removed: it no longer signs you in.").waitFor();
        assert.deepEqual(await passkeysOf(pt), []);
        assert.deepEqual(browser.errors, []);
    });
});
