// The account console's entry point: the pages register themselves, then the router starts.
import "./style.css";
import { defaultPage, start } from "./app";
import "./pages/public";
import "./pages/account";

defaultPage("profile");
start();
