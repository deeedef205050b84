#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
var t={name:"knative-rollout[bot]",email:"knative-rollout[bot]@users.noreply.github.com"};export{t as a};
