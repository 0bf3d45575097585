// Debian's Chromium driven by playwright-core (no browser download), with axe-core run inside
// the page, and screenshots at a phone's and a desktop's width.
import assert from "node:assert/strict";
import { readFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const widths = { phone: { width: 360, height: 780 }, desktop: { width: 1280, height: 900 } } as const;

export interface Browser {
    readonly page: Page;
    readonly context: BrowserContext;
    /** What the page reported as a console error or a policy violation since it was opened. */
    readonly errors: string[];
    close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
    const profile = mkdtempSync(path.join(tmpdir(), "paseto-auth-console-"));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
        headless: true,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        viewport: widths.desktop,
    });
    const page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on("console", (message) => {
        // A refused call (a 401 the page expects) is logged by Chromium as a failed resource; policy
        // violations and script errors are what matter here.
        if (message.type() === "error" && !/Failed to load resource/.test(message.text())) {
            errors.push(message.text());
        }
    });
    page.on("pageerror", (error) => errors.push(error.message));
    return {
        page,
        context,
        errors,
        async close() {
            await context.close();
            rmSync(profile, { recursive: true, force: true });
        },
    };
}

interface AxeResult {
    violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}

/** axe-core's violations on the page as it is now (all rules but the experimental ones). */
export async function axeViolations(page: Page): Promise<string[]> {
    if (!(await page.evaluate(() => "axe" in window))) {
        await page.evaluate(axeSource);
    }
    const result = await page.evaluate(() => (window as unknown as { axe: { run(context: Document): Promise<AxeResult> } }).axe.run(document)) as AxeResult;
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/**
 * Checks the page with axe at a phone's and a desktop's width, and saves a screenshot of each to
 * the test output (`<root>/.local/test-results/account-console/<name>-<width>.png`).
 */
export async function checkPage(page: Page, root: string, name: string): Promise<void> {
    const folder = path.join(root, ".local/test-results/account-console");
    mkdirSync(folder, { recursive: true });
    for (const [label, size] of Object.entries(widths)) {
        await page.setViewportSize(size);
        const violations = await axeViolations(page);
        assert.deepEqual(violations, [], `axe on ${name} at ${size.width} px`);
        // Nothing wider than the window: no sideways scrolling at 360 px.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${name} at ${size.width} px is ${overflow} px wider than the window`);
        await page.screenshot({ path: path.join(folder, `${name}-${label}.png`), fullPage: true });
    }
    await page.setViewportSize(widths.desktop);
}
