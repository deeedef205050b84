// A throwaway certificate authority for serving the emulator's API over HTTPS: a self-signed
// certificate for 127.0.0.1 (an IP SAN, which is what clients check for an IP address),
// made at start with the openssl CLI (Node has no X.509 writer). The key never leaves the
// process's temporary directory, which is removed before this returns.

import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

export interface SelfSignedCert {
  /** PEM certificate; also the CA a client must trust (it signs itself). */
  cert: string
  /** PEM private key. */
  key: string
}

const run = promisify(execFile)

/** A P-256 certificate for 127.0.0.1 and localhost, valid for a day. */
export async function selfSignedCert(openssl = 'openssl'): Promise<SelfSignedCert> {
  const dir = await mkdtemp(join(tmpdir(), 'emulator-tls-'))
  try {
    const keyPath = join(dir, 'key.pem')
    const certPath = join(dir, 'cert.pem')
    await run(
      openssl,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=knative-emulator',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-keyout',
        keyPath,
        '-out',
        certPath
      ],
      { timeout: 30_000 }
    ).catch((err: Error) => {
      throw new Error(`cannot make a TLS certificate with the openssl CLI: ${err.message}`)
    })
    return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
