// node --import this file: stylesheets imported by the modules under test load as empty modules (css-hooks.js).
import { register } from "node:module";

register("./css-hooks.js", import.meta.url);
