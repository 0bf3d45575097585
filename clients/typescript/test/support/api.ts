// Starts the real API (the Release build of src/Api) on a fresh PostgreSQL database of its own,
// the way an operator would: `migrate`, then the host on a free loopback port. Each test file
// that needs the API starts one and stops it, which drops its database.
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

/** The signup secret the API under test is configured with. */
export const refererSecret = `ts-e2e-${randomBytes(6).toString("hex")}`;

export interface RunningApi {
    /** Where the API listens, as `http://127.0.0.1:<port>`. */
    readonly baseUrl: string;
    /** Stops the host and drops its database. */
    stop(): Promise<void>;
}

/** The repository's root: the nearest folder above this file holding Paseto.Auth.sln. */
export function repositoryRoot(): string {
    let directory = path.dirname(fileURLToPath(import.meta.url));
    while (!existsSync(path.join(directory, "Paseto.Auth.sln"))) {
        const parent = path.dirname(directory);
        if (parent === directory) {
            throw new Error("Paseto.Auth.sln not found above the test files.");
        }
        directory = parent;
    }
    return directory;
}

export interface ApiOptions {
    /** Settings on top of the test defaults, as environment variables (`Section__Key`). */
    readonly env?: NodeJS.ProcessEnv;
    /** A loopback port to listen on, for settings that name the address (Email__PublicBaseUrl); default: one the system picks. */
    readonly port?: number;
}

export async function startApi(options: ApiOptions = {}): Promise<RunningApi> {
    const root = repositoryRoot();
    const dll = process.env.PASETO_AUTH_API_DLL ?? path.join(root, "src/Api/bin/Release/net10.0/Paseto.Auth.Api.dll");
    if (!existsSync(dll)) {
        throw new Error(`${dll} is missing: build the API first (dotnet build src/Api -c Release).`);
    }

    const server = parseConnectionString(await serverConnectionString(root));
    const database = `paseto_ts_${randomBytes(5).toString("hex")}`;
    await adminQuery(server, `CREATE DATABASE "${database}"`);
    let host: ChildProcess | undefined;
    try {
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            ASPNETCORE_ENVIRONMENT: "Testing",
            DOTNET_NOLOGO: "1",
            DOTNET_CLI_TELEMETRY_OPTOUT: "1",
            ConnectionStrings__Postgres: formatConnectionString({ ...server, Database: database }),
            Auth__RefererSecret: refererSecret,
            // These tests sign up many users from one address; throttling has its own tests.
            Auth__Throttling__SignupsPerAddressPerHour: "100000",
            Paseto__Keys__0: await generateKey(dll),
            Auth__Mfa__Keys__0: await generateKey(dll),
            Logging__LogLevel__Default: "Warning",
            "Logging__LogLevel__Microsoft.Hosting.Lifetime": "Information",
            ...options.env,
        };
        const cwd = path.dirname(dll);
        await run("dotnet", [dll, "migrate"], { cwd, env });

        host = spawn("dotnet", [dll, "--urls", `http://127.0.0.1:${options.port ?? 0}`], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        const baseUrl = await listeningAddress(host);
        // The host's log, for when a test needs explaining; scripts/test.sh clears the folder on each run.
        const logs = path.join(root, ".local/test-results");
        mkdirSync(logs, { recursive: true });
        const log = createWriteStream(path.join(logs, `typescript-${database}.log`));
        host.stdout?.pipe(log);
        host.stderr?.pipe(log);
        await waitUntilReady(baseUrl);
        const running = host;
        return {
            baseUrl,
            async stop() {
                await stopProcess(running);
                await adminQuery(server, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
            },
        };
    } catch (error) {
        if (host) {
            await stopProcess(host);
        }
        await adminQuery(server, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        throw error;
    }
}

/** `PASETO_AUTH_TEST_DB` (as scripts/test.sh sets it), else the local cluster of scripts/postgres.sh, started if need be. */
async function serverConnectionString(root: string): Promise<string> {
    const configured = process.env.PASETO_AUTH_TEST_DB;
    if (configured) {
        return configured;
    }
    const script = path.join(root, "scripts/postgres.sh");
    await run("bash", [script, "start"]);
    return (await run("bash", [script, "url"])).stdout.trim();
}

type ConnectionSettings = Record<string, string>;

/** Reads an Npgsql connection string (`Host=…;Port=…;Database=…;Username=…;Password=…`). */
function parseConnectionString(value: string): ConnectionSettings {
    const settings: ConnectionSettings = {};
    for (const part of value.split(";")) {
        const separator = part.indexOf("=");
        if (separator > 0) {
            settings[canonicalKey(part.slice(0, separator).trim())] = part.slice(separator + 1).trim();
        }
    }
    return settings;
}

function canonicalKey(key: string): string {
    switch (key.toLowerCase().replace(/\s/g, "")) {
        case "host":
        case "server":
            return "Host";
        case "port":
            return "Port";
        case "database":
        case "db":
            return "Database";
        case "username":
        case "userid":
        case "user":
            return "Username";
        case "password":
        case "pwd":
            return "Password";
        default:
            return key;
    }
}

function formatConnectionString(settings: ConnectionSettings): string {
    return Object.entries(settings).map(([key, value]) => `${key}=${value}`).join(";");
}

async function adminQuery(server: ConnectionSettings, sql: string): Promise<void> {
    const client = new pg.Client({
        host: server.Host,
        port: server.Port ? Number(server.Port) : 5432,
        user: server.Username,
        password: server.Password,
        database: "postgres",
    });
    await client.connect();
    try {
        await client.query(sql);
    } finally {
        await client.end();
    }
}

/** A fresh `k4.local` key from the host's own `generate-keys` verb. */
async function generateKey(dll: string): Promise<string> {
    const { stdout } = await run("dotnet", [dll, "generate-keys", "--purpose", "local"], { cwd: path.dirname(dll) });
    const key = stdout.split("\n").find((line) => line.startsWith("k4.local."));
    if (!key) {
        throw new Error("generate-keys printed no k4.local key.");
    }
    return key.trim();
}

/** The address Kestrel reports once it listens (the port is chosen by the system). */
function listeningAddress(host: ChildProcess): Promise<string> {
    return new Promise((resolve, reject) => {
        let output = "";
        const timer = setTimeout(() => fail(new Error(`the API did not start within 60 s:\n${output}`)), 60_000);
        const onData = (chunk: Buffer) => {
            output += chunk.toString();
            const match = /Now listening on: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
            if (match?.[1]) {
                done();
                resolve(match[1]);
            }
        };
        const onExit = (code: number | null) => fail(new Error(`the API exited (code ${code}) before listening:\n${output}`));
        function done() {
            clearTimeout(timer);
            host.stdout?.off("data", onData);
            host.stderr?.off("data", onData);
            host.off("exit", onExit);
        }
        function fail(error: Error) {
            done();
            reject(error);
        }
        host.stdout?.on("data", onData);
        host.stderr?.on("data", onData);
        host.once("exit", onExit);
    });
}

async function waitUntilReady(baseUrl: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
        try {
            const response = await fetch(`${baseUrl}/health/ready`);
            if (response.ok) {
                return;
            }
        } catch {
            // Not answering yet.
        }
        if (Date.now() > deadline) {
            throw new Error(`${baseUrl}/health/ready did not answer 200 within 30 s.`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
}

function stopProcess(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.resolve();
    }
    return new Promise((resolve) => {
        const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
            clearTimeout(killer);
            resolve();
        });
        child.kill("SIGTERM");
    });
}
