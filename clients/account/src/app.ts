// The router: one path per page under /account/, history-API navigation, and a page at a time in
// <main>. Moving to a page sets the title, puts focus on its heading (so a screen reader announces
// it) and marks the current link in the navigation.
import { h } from "./dom.js";
import { isSignedIn, signOut, whenEnded } from "./session.js";

export const base = "/account/";

export interface PageContext {
    /** A message to show on arrival (e.g. "You are signed out."). */
    readonly notice?: string;
    /** The token a mail link carries in its fragment (#token=…); read here, never sent by a GET. */
    readonly token?: string;
}

export interface Page {
    readonly title: string;
    /** Pages of a signed-in person: without a session they send to sign-in. */
    readonly signedIn: boolean;
    /** Listed in the navigation under this label. */
    readonly nav?: string;
    render(context: PageContext): HTMLElement | Promise<HTMLElement>;
}

const pages = new Map<string, Page>();
let leaving: (() => void)[] = [];

/** Runs `callback` once the person leaves the page now shown (a pending passkey request is ended then). */
export function whenLeaving(callback: () => void): void {
    leaving.push(callback);
}
let fallback = "";

export function register(path: string, page: Page): void {
    pages.set(path, page);
}

export function defaultPage(path: string): void {
    fallback = path;
}

function currentPath(): string {
    const path = window.location.pathname.startsWith(base) ? window.location.pathname.slice(base.length) : "";
    return path.replace(/\/+$/, "");
}

function fragmentToken(): string | undefined {
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    return fragment.get("token") ?? undefined;
}

/** Goes to a page (a path under /account/, e.g. "sessions"), leaving a history entry. */
export function navigate(path: string, notice?: string): void {
    window.history.pushState(null, "", base + path);
    void show(notice);
}

/** Drops the fragment from the address bar, once its token has been used. */
export function forgetFragment(): void {
    window.history.replaceState(null, "", window.location.pathname);
}

function renderNav(active: string): void {
    const nav = document.getElementById("nav");
    if (!nav) {
        return;
    }
    nav.replaceChildren();
    if (!isSignedIn()) {
        nav.hidden = true;
        return;
    }
    const list = h("ul");
    for (const [path, page] of pages) {
        if (page.nav && page.signedIn) {
            const link = h("a", { href: base + path, "aria-current": path === active ? "page" : undefined }, page.nav);
            list.append(h("li", {}, link));
        }
    }
    const out = h("button", { type: "button", class: "link" }, "Sign out");
    out.addEventListener("click", () => {
        out.disabled = true;
        void signOut().then(() => navigate("sign-in", "You are signed out."));
    });
    list.append(h("li", {}, out));
    nav.append(list);
    nav.hidden = false;
}

async function show(notice?: string): Promise<void> {
    const done = leaving;
    leaving = [];
    done.forEach((callback) => callback());
    let path = currentPath();
    let page = pages.get(path);
    if (!page) {
        path = fallback;
        page = pages.get(path);
        window.history.replaceState(null, "", base + path);
    }
    if (!page) {
        return;
    }
    if (page.signedIn && !isSignedIn()) {
        path = "sign-in";
        page = pages.get(path);
        window.history.replaceState(null, "", base + path);
        if (!page) {
            return;
        }
    }
    const main = document.getElementById("main");
    if (!main) {
        return;
    }
    renderNav(path);
    document.title = `${page.title} · Paseto.Auth account`;
    main.setAttribute("aria-busy", "true");
    let content: HTMLElement;
    try {
        content = await page.render({ notice, token: fragmentToken() });
    } catch {
        content = h("p", { role: "alert" }, "This page could not be loaded. Reload to try again.");
    }
    // A render that found the session gone has already moved on to sign-in.
    if (currentPath() !== path) {
        return;
    }
    main.replaceChildren(content);
    main.removeAttribute("aria-busy");
    const heading = main.querySelector("h1");
    if (heading) {
        heading.tabIndex = -1;
        heading.focus();
    }
}

/** Starts the console: links inside it navigate without reloading, back and forward work. */
export function start(): void {
    document.addEventListener("click", (event) => {
        const link = (event.target as Element | null)?.closest?.("a");
        if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
            return;
        }
        const url = new URL(link.href, window.location.href);
        // A link within the page (the skip link) works as links do.
        if (url.pathname === window.location.pathname && url.hash && !url.hash.startsWith("#token=")) {
            return;
        }
        if (url.origin === window.location.origin && url.pathname.startsWith(base) && !link.hasAttribute("download")) {
            event.preventDefault();
            navigate(url.pathname.slice(base.length) + url.hash);
        }
    });
    window.addEventListener("popstate", () => void show());
    whenEnded((reason) => navigate("sign-in", reason));
    void show();
}
