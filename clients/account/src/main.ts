// The account console's entry point: the pages register themselves, then the router starts.
import "./style.css";
import { defaultPage, start } from "./app.js";
import "./pages/public.js";
import "./pages/account.js";
import "./pages/mfa.js";
import "./pages/passkeys.js";

defaultPage("profile");
start();
