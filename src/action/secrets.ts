/**
 * Masking the inputs that are secrets, before anything else can print them: a failing validation may quote other
 * inputs, and an inline docker config holds passwords.
 */
import * as core from '@actions/core'

export function maskInputSecrets(input: (name: string) => string): void {
  for (const name of ['github-token', 'token']) {
    const token = input(name)
    if (token) core.setSecret(token)
  }
  const auth = input('registry-auth')
  if (auth.trim().startsWith('{')) maskJsonSecrets(auth)
}

/** An inline docker config: every auth, password and token in it is a secret, before the parser ever sees it. */
function maskJsonSecrets(text: string): void {
  core.setSecret(text.trim())
  try {
    const walk = (v: unknown, key = ''): void => {
      if (typeof v === 'string') {
        if (/^(auth|password|identitytoken|registrytoken)$/i.test(key) && v) {
          core.setSecret(v)
          if (key.toLowerCase() === 'auth') {
            const decoded = Buffer.from(v, 'base64').toString('utf8')
            const colon = decoded.indexOf(':')
            if (colon >= 0 && decoded.length > colon + 1) core.setSecret(decoded.slice(colon + 1))
          }
        }
      } else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) walk(x, k)
      }
    }
    walk(JSON.parse(text))
  } catch {
    // Not JSON after all: the whole value is masked above, and the parser's error says what is wrong.
  }
}
