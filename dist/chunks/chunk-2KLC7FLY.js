#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
var e=class extends Error{constructor(i,n){super(i);this.last=n}last;name="WaitTimeoutError"};function o(r){return r instanceof e}export{e as a,o as b};
