// /docs in a real headless browser: Debian's Chromium, driven by playwright-core. Swagger UI must
// load the document, list every endpoint, obtain a token through "Authorize" (the OAuth 2.0
// password flow, which posts a form to /v1/login) and call GET /v1/users/me with it.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { PasetoAuthClient, SignupUserRequest } from "../src/index.js";
import { refererSecret, repositoryRoot, startApi, type RunningApi } from "./support/api.js";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const username = `docs_${randomBytes(4).toString("hex")}`;
const password = "correct horse battery staple";

let api: RunningApi;
let profileDir: string;
let browser: BrowserContext;
let page: Page;

before(async () => {
    api = await startApi();
    await new PasetoAuthClient(api.baseUrl, globalThis).signup(new SignupUserRequest({
        username,
        email: `${username}@example.com`,
        password,
        firstname: "Docs",
        referer_secret: refererSecret,
    }));

    profileDir = mkdtempSync(path.join(tmpdir(), "paseto-auth-chromium-"));
    browser = await chromium.launchPersistentContext(profileDir, {
        executablePath: chromiumPath,
        headless: true,
        args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
        viewport: { width: 1280, height: 2000 },
    });
    page = browser.pages()[0] ?? await browser.newPage();
    page.setDefaultTimeout(15_000);
}, { timeout: 120_000 });

after(async () => {
    if (page) {
        // For a person to look at; git ignores .local/.
        const folder = path.join(repositoryRoot(), ".local/screenshots");
        mkdirSync(folder, { recursive: true });
        await page.screenshot({ path: path.join(folder, "docs.png"), fullPage: true }).catch(() => undefined);
    }
    await browser?.close();
    if (profileDir) {
        rmSync(profileDir, { recursive: true, force: true });
    }
    await api?.stop();
});

describe("/docs in Chromium", () => {
    it("loads Swagger UI with the API's title", async () => {
        const response = await page.goto(`${api.baseUrl}/docs`);

        assert.equal(response?.status(), 200);
        await page.locator(".swagger-ui .info .title").waitFor();
        assert.match(await page.locator(".swagger-ui .info .title").innerText(), /Paseto\.Auth/);
    });

    it("lists every operation of the OpenAPI document", async () => {
        const document = await (await fetch(`${api.baseUrl}/openapi/v1.json`)).json() as {
            paths: Record<string, Record<string, { operationId: string }>>;
        };
        const expected = Object.entries(document.paths)
            .flatMap(([route, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${route}`))
            .sort();
        assert.ok(expected.length >= 10, `the document lists ${expected.length} operations`);
        await page.locator(".opblock").first().waitFor();

        const listed = await page.locator(".opblock .opblock-summary").evaluateAll((summaries) =>
            summaries.map((summary) => {
                const method = summary.querySelector(".opblock-summary-method")?.textContent?.trim() ?? "";
                const route = summary.querySelector(".opblock-summary-path")?.getAttribute("data-path") ?? "";
                return `${method} ${route}`;
            }));

        assert.deepEqual(listed.sort(), expected);
    });

    it("authorizes with a username and password through the password flow, asking for nothing else", async () => {
        await page.locator("button.authorize").first().click();
        const dialog = page.locator(".modal-ux");
        await dialog.waitFor();
        // The password flow's box, found by its heading: its inputs give way to plain text once authorized.
        const passwordFlow = dialog.locator(".auth-container").filter({ hasText: "OAuth2, password" });
        await passwordFlow.locator("#oauth_username").waitFor();

        // The API has no OAuth clients: no client id, secret or where to send them.
        const visibleFields = await passwordFlow.locator("input, select").evaluateAll((fields) =>
            fields.filter((field) => (field as HTMLElement).offsetParent !== null).map((field) => field.id));
        assert.deepEqual(visibleFields.sort(), ["oauth_password", "oauth_username"]);

        await passwordFlow.locator("#oauth_username").fill(username);
        await passwordFlow.locator("#oauth_password").fill(password);
        const login = page.waitForRequest((request) => request.url().endsWith("/v1/login") && request.method() === "POST");
        await passwordFlow.locator("button.authorize").click();

        // The form of the password grant, with no client credentials in it or beside it.
        const sent = await login;
        const form = new URLSearchParams(sent.postData() ?? "");
        assert.equal(form.get("grant_type"), "password");
        assert.equal(form.get("username"), username);
        assert.equal(form.has("client_id") || form.has("client_secret"), false, sent.postData() ?? "");
        assert.equal(await sent.headerValue("authorization"), null);

        await passwordFlow.locator("button", { hasText: "Logout" }).or(passwordFlow.locator(".errors")).first().waitFor();
        assert.equal(await passwordFlow.locator(".errors").count(), 0, await passwordFlow.innerText());
        assert.match(await passwordFlow.innerText(), /Authorized/);
        await dialog.locator("button.btn-done").first().click();
        await dialog.waitFor({ state: "detached" });
    });

    it("calls GET /v1/users/me with the token it obtained", async () => {
        const operation = page.locator("#operations-Users-getMe");
        await operation.locator(".opblock-summary").first().click();
        await operation.locator("button.try-out__btn").click();
        await operation.locator("button.execute").click();

        const status = operation.locator(".live-responses-table .response .response-col_status").first();
        await status.waitFor();
        assert.match(await status.innerText(), /^200\b/);
        const body = await operation.locator(".live-responses-table .response-col_description .microlight").first().innerText();
        const profile = JSON.parse(body) as { username: string; email: string };
        assert.equal(profile.username, username);
        assert.equal(profile.email, `${username}@example.com`);
    });
});
