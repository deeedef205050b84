// Library error messages lose the input they quote (src/knative/errors.ts libraryMessage).

import { libraryMessage } from '../../../src/knative/errors.js'

test.each([
  [
    "undici's Headers quote a token that is not a header value",
    'Headers.append: "Bearer tok-one\ntok-two" is an invalid header value.',
    'Headers.append: the value is an invalid header value.'
  ],
  [
    'a URL with credentials',
    'Request cannot be constructed from a URL that includes credentials: http://admin:pw@127.0.0.1:1/apis',
    'Request cannot be constructed from a URL that includes credentials: http://***@127.0.0.1:1/apis'
  ],
  ['an ordinary message stays', 'socket hang up', 'socket hang up']
])('%s', (_name, message, expected) => {
  expect(libraryMessage(message)).toBe(expected)
})
