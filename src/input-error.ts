// The one error for bad input: every problem names the input, the fault and what is allowed.
// The entries print the problems and exit non-zero before anything is written.

export class InputError extends Error {
  constructor(
    readonly problems: string[],
    /** The input at fault, when there is one. */
    readonly input?: string
  ) {
    super(problems.join('\n'))
    this.name = 'InputError'
  }

  /** One problem of one input: `<input>: <message>`. */
  static of(input: string, message: string): InputError {
    return new InputError([`${input}: ${message}`], input)
  }
}
