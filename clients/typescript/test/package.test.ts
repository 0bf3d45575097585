// The client as a front-end team gets it: `npm pack`, then installed from the tarball alone into
// a scratch app with a fresh npm cache and an .npmrc that names no registry and forbids the
// network, so the package must need nothing but itself. The scratch app then runs in plain Node
// (no `window`) against the live API.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { refererSecret, repositoryRoot, startApi, type RunningApi } from "./support/api.js";

const run = promisify(execFile);
let api: RunningApi;
let scratch: string;

before(async () => {
    api = await startApi();
    scratch = mkdtempSync(path.join(tmpdir(), "paseto-auth-client-"));
});

after(async () => {
    await api?.stop();
    rmSync(scratch, { recursive: true, force: true });
});

test("the packed tarball installs offline with no dependencies and calls the live API from Node", async () => {
    const client = path.join(repositoryRoot(), "clients/typescript");
    const version = `0.1.0-test.${Date.now()}`;
    const packed = JSON.parse((await run("npm", ["pack", "--json", "--pack-destination", scratch], { cwd: client })).stdout)[0];
    assert.equal(packed.name, "@paseto-auth/client");
    const files: string[] = packed.files.map((f: { path: string }) => f.path);
    for (const file of ["LICENSE", "README.md", "package.json", "openapi.json", "dist/src/index.js", "dist/src/index.d.ts",
        "dist/src/client.js.map", "dist/src/client.d.ts.map", "src/client.ts", "src/index.ts",
        "dist/src/webauthn.js", "dist/src/webauthn.d.ts", "dist/src/webauthn.js.map", "src/webauthn.ts"]) {
        assert.ok(files.includes(file), `the package holds ${file}`);
    }
    assert.ok(!files.some((f) => f.startsWith("dist/test/") || f.startsWith("test/")), "no tests in the package");

    const app = path.join(scratch, "app");
    await run("mkdir", ["-p", app]);
    writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "scratch-app", version, private: true, type: "module" }));
    // No registry named, and no network: the tarball is the only source there is.
    writeFileSync(path.join(app, ".npmrc"), "offline=true\naudit=false\nfund=false\nupdate-notifier=false\n");
    await run("npm", ["install", "--cache", path.join(scratch, "cache"), "--userconfig", path.join(app, ".npmrc"),
        path.join(scratch, packed.filename)], { cwd: app });

    const installed = path.join(app, "node_modules/@paseto-auth/client");
    const manifest = JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8"));
    assert.equal(manifest.dependencies, undefined, "no runtime dependencies");
    assert.equal(manifest.private, undefined);
    assert.deepEqual(Object.keys(manifest.exports), [".", "./webauthn"], "the passkey helpers are an entry point of their own");
    assert.doesNotMatch(readFileSync(path.join(installed, "dist/src/index.js"), "utf8"), /webauthn|navigator/,
        "the main entry point never loads the browser-only helpers");
    for (const map of ["dist/src/client.js.map", "dist/src/client.d.ts.map", "dist/src/webauthn.js.map"]) {
        const sources: string[] = JSON.parse(readFileSync(path.join(installed, map), "utf8")).sources;
        for (const source of sources) {
            assert.ok(existsSync(path.resolve(path.dirname(path.join(installed, map)), source)), `${map} resolves ${source}`);
        }
    }

    writeFileSync(path.join(app, "check.mjs"), `
        import { PasetoAuthClient, SignupUserRequest, LoginRequest, ApiException, bearer } from "@paseto-auth/client";
        const [baseUrl, secret] = process.argv.slice(2);
        let token;
        const client = new PasetoAuthClient(baseUrl, bearer(() => token));
        await client.signup(new SignupUserRequest({ username: "npm_user", email: "npm@example.com",
            password: "correct horse battery staple", firstname: "Npm", referer_secret: secret }));
        token = (await client.login(new LoginRequest({ username: "npm_user", password: "correct horse battery staple" }))).access_token;
        const me = await client.getMe();
        let message;
        try { await client.login(new LoginRequest({ username: "npm_user", password: "wrong password, long enough" })); }
        catch (e) { message = ApiException.isApiException(e) ? e.message : String(e); }
        console.log(JSON.stringify({ username: me.username, hasWindow: typeof window !== "undefined", message }));
    `);
    // The helpers' entry point loads in Node as well (nothing reads navigator until called), and
    // a TypeScript app that imports both entry points type-checks against the installed package.
    writeFileSync(path.join(app, "passkeys.mjs"), `
        import { toBase64Url, fromBase64Url, isWebAuthnAvailable, isConditionalMediationAvailable } from "@paseto-auth/client/webauthn";
        const text = toBase64Url(new TextEncoder().encode("foobar"));
        console.log(JSON.stringify({ text, back: new TextDecoder().decode(fromBase64Url(text)), available: isWebAuthnAvailable(),
            conditional: await isConditionalMediationAvailable() }));
    `);
    assert.deepEqual(JSON.parse((await run("node", ["passkeys.mjs"], { cwd: app })).stdout),
        { text: "Zm9vYmFy", back: "foobar", available: false, conditional: false });
    writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify({
        compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022", "DOM"], types: [], strict: true, noEmit: true },
        include: ["app.ts"],
    }));
    writeFileSync(path.join(app, "app.ts"), `
        import { PasetoAuthClient, bearer } from "@paseto-auth/client";
        import { createPasskey, getPasskey, type CreationOptionsJSON, type RegistrationResponseJSON } from "@paseto-auth/client/webauthn";
        export async function add(options: CreationOptionsJSON): Promise<RegistrationResponseJSON> { return createPasskey(options); }
        export const client = new PasetoAuthClient("https://auth.example", bearer(() => undefined));
        export const signIn = (challenge: string) => getPasskey({ challenge }, { mediation: "conditional" });
    `);
    await run(path.join(client, "node_modules/.bin/tsc"), ["-p", app], { cwd: app });
    const output = JSON.parse((await run("node", ["check.mjs", api.baseUrl, refererSecret], { cwd: app })).stdout);

    assert.equal(output.username, "npm_user");
    assert.equal(output.hasWindow, false, "plain Node: the default fetch is globalThis's");
    assert.match(output.message, /password|credentials/i, "the message is the problem's detail");
    assert.notEqual(output.message, "Unauthorized");
});
