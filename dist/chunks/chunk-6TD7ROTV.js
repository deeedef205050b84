#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a as r,e as s}from"./chunk-47AGEGQX.js";function u(i){let t=i.candidateRevision??i.currentRevision??"",e=i.candidateRevision?i.currentRevision??"":"";return{result:i.result,revision:t&&s(t),"previous-revision":e&&s(e),url:n("url",i.url??""),"candidate-url":n("candidate-url",i.candidateUrl??""),image:n("image",i.image??""),digest:n("digest",i.digest??""),commit:n("commit",i.commit??""),traffic:i.traffic}}function n(i,t){if(r(t,1/0)===t)return t;throw new Error(`refusing to set the output ${i}: "${r(t,200)}" holds line breaks, control characters or a workflow command`)}function a(i){return JSON.stringify(i)}export{u as a,a as b};
