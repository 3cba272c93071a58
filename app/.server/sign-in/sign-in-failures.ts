/**
 * Why a company sign-in did not work, as a short code that travels in the /login URL (never the provider's own
 * text, which the page would otherwise reflect) and the sentence the login page shows for it.
 */
export const SIGN_IN_FAILURES = {
  "not-configured": "Company sign-in is not set up. Sign in with your password, or ask an administrator.",
  unavailable:
    "The company sign-in service did not answer. Try again in a few minutes; if it keeps failing, tell your IT team.",
  misconfigured: "Company sign-in is not set up correctly. An administrator has been told in the app log.",
  expired: "That sign-in took too long or was started in another browser. Start again.",
  state: "That sign-in answer does not belong to this browser, so it was refused. Start again.",
  refused: "The company sign-in service refused the sign-in (it may have been used already). Start again.",
  "id-token": "The company sign-in service's answer could not be verified, so it was refused. Start again.",
  "email-missing": "Your company account has no email address this app can use. Ask your IT team.",
  "email-unverified": "Your company account's email address is not verified. Ask your IT team.",
  "link-unverified":
    "An account with your email address already exists here, but your company account's email address is not verified, so the two were not joined. Ask your IT team.",
  "email-taken":
    "The account with your email address here is already joined to another company account, so it was not joined to this one. Ask an administrator.",
  deactivated: "This account has been deactivated. Ask an administrator.",
  "passwords-off": "Password sign-in is turned off: sign in with your company account.",
} as const;

export type SignInFailureCode = keyof typeof SIGN_IN_FAILURES;
export interface SignInFailure {
  code: SignInFailureCode;
  message: string;
}

export function signInFailure(code: SignInFailureCode): SignInFailure {
  return { code, message: SIGN_IN_FAILURES[code] };
}

export function failureFromCode(code: string | null): SignInFailure | null {
  return code && Object.hasOwn(SIGN_IN_FAILURES, code) ? signInFailure(code as SignInFailureCode) : null;
}
