#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a as y,d as k,e as I,g as v,j as C,k as T,l as x}from"./chunks/chunk-A24W4KSS.js";import{D as h,E as w,F as b,G as u,I as S,N as E,O as m,r as g}from"./chunks/chunk-XYNXD2GI.js";import"./chunks/chunk-4FW4Y77N.js";import"./chunks/chunk-CFF6Y4EO.js";import{pathToFileURL as N}from"node:url";import{existsSync as A,readFileSync as R,realpathSync as U}from"node:fs";var M=`Usage: knative-rollout <command> [--<input> <value> ...]

Commands: ${b.join(", ")}
  rollout   create a candidate revision at 0%, step its traffic while probing it, then promote or roll back
  promote   continue a paused rollout (with analysis), to 100%
  abort     put a paused rollout's traffic back on the current revision
  status    print the rollout state kept on the Service
  preview   create the candidate at 0%, reachable on its tag URL only

Inputs are the action's (action.yml), as flags: --service shop --image ghcr.io/acme/shop:1.2
--steps 10,25,50,100 --step-interval 30s --pause-at 25 --dry-run --wait-for-lock ...
The cluster comes from --kubeconfig (a file or its content), else KUBECONFIG or ~/.kube/config.

Exit status: 0 promoted, paused, aborted, unchanged, status; 1 rolled back or failed; 2 bad usage.
Outputs are printed to stdout as one JSON line.`;function $(s){let t=new Map,o,l=!1;for(let n=0;n<s.length;n++){let r=s[n];if(r==="--help"||r==="-h")l=!0;else if(r.startsWith("--")){let a=r.indexOf("="),i=a>0?r.slice(2,a):r.slice(2);if(!h.includes(i)||i==="command")throw new u([`--${i}: not an input; see --help`]);a>0?t.set(i,r.slice(a+1)):n+1<s.length&&!s[n+1].startsWith("--")?t.set(i,s[++n]):t.set(i,"true")}else if(o===void 0)o=r;else throw new u([`unexpected argument "${r}"; see --help`])}return{command:o,flags:t,help:l}}async function G(s,t=process.env){let o;try{o=$(s)}catch(e){return process.stderr.write(`${e.message}
`),2}if(o.help||!o.command)return process.stdout.write(M+`
`),o.help?0:2;let l=e=>{if(e==="command")return o.command;let c=o.flags.get(e);return e==="kubeconfig"&&c&&!c.includes(`
`)&&A(c)?R(c,"utf8"):c},n=w.map(e=>l(e)),r;try{r=S(l)}catch(e){return process.stderr.write(`${e.message}
`),2}let a=E({secrets:n,verbose:t.KNATIVE_ROLLOUT_VERBOSE==="1"}),i=C(e=>process.stderr.write(e+`
`),n),d=new AbortController,f=e=>()=>d.abort(new Error(`${e} received`));process.once("SIGINT",f("SIGINT")),process.once("SIGTERM",f("SIGTERM"));let O=r.build?async()=>{let e=await T(g(l),{run:x,clock:m,log:c=>a.info(c),env:t});return{image:e.image,digest:e.digest}}:void 0,p=await k(r,{clock:m,log:a,env:t,signal:d.signal,build:O,onStep:i.step});return i.result(p),p.reason||a.info(p.message),process.stdout.write(v(I(p))+`
`),y(p)}function P(s){G(s).then(t=>{process.exitCode=t},t=>{process.stderr.write(`${t instanceof Error?t.message:String(t)}
`),process.exitCode=1})}var L=process.argv[1]&&N(U(process.argv[1])).href===import.meta.url;L&&P(process.argv.slice(2));export{M as USAGE,G as cli,$ as parseArgs,P as runCli};
