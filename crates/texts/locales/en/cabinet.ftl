cabinet-title = Your account
cabinet-back = ← Back to your account
cabinet-warnings = Warnings
cabinet-warn-no-factor = No second factor: anyone who learns your password can sign in. Turn on the authenticator app or SMS codes under Sign-in security.
cabinet-warn-email = Your e-mail address is not confirmed.
cabinet-verified = confirmed
cabinet-unverified = not confirmed
cabinet-none = not given
cabinet-email = E-mail
cabinet-phone = Phone
cabinet-second-factor = Second factor
cabinet-sessions = Signed-in browsers
cabinet-sessions-live = { $n } active
cabinet-accesses = Applications with access
cabinet-accesses-count = { $n ->
    [one] { $n } application
   *[other] { $n } applications
}
cabinet-reauth-title = Confirm it is you
cabinet-reauth-intro = This change needs a fresh confirmation that it is you. Enter your password or a code from the authenticator app.
cabinet-reauth-link = Confirm it is you
cabinet-proof-stale = Turning a factor off, new recovery codes and a new password without the current one need a fresh confirmation.
cabinet-current-password = Current password
cabinet-current-wrong = The password is wrong.
cabinet-current-needed = Enter your current password.
cabinet-password-missing = Enter your password.
cabinet-code-missing = Enter the code from the app.
cabinet-no-proof = This account has neither a password nor an authenticator app. Sign out and sign in again to confirm it is you.
cabinet-password-title = Password
cabinet-password-changed = The password was changed.
cabinet-sign-out-others = Sign out in all other browsers
cabinet-more-methods = Certificates and passkeys
cabinet-more-methods-about = Sign-in with a certificate or a passkey will appear here.
message-password-changed-subject = { $operator }: your password was changed
message-password-changed-body = { $operator }: the password of your account was changed. If it was not you, reset the password now and contact support.
message-factor-disabled-subject = { $operator }: a second factor was turned off
message-factor-disabled-body = { $operator }: a second factor of your account was turned off. If it was not you, reset the password now and contact support.
