by-code = Sign in with an SMS code
by-password = Sign in with a password
phone-label = Phone number
send-code = Send me a code
code-title = Enter the code
code-intro = If the number is registered, we sent a 6-digit code to it. It is valid for 5 minutes.
code-label = Code from the message
confirm = Confirm
code-invalid = Wrong code.
code-expired = The code expired or has no attempts left. Ask for a new one.
throttled = Too many attempts. Please wait a little and try again.
send-cap = Too many codes this hour. Please try later.
phone-invalid = Enter a phone number, e.g. +7 900 123-45-67.
factor-title = Confirm it is you
factor-intro = Confirm the sign-in with your second factor.
factor-totp = Code from the authenticator app
factor-sms = Code from an SMS
factor-recovery = Recovery code
factor-send-sms = Send a code by SMS
factor-sms-sent = A code was sent to your phone.
outbox-title = Outbox (development mode)
outbox-warning = Development only: nothing was sent. This page does not exist in production.
outbox-empty = No messages.
create-account = Create an account
no-account = No account yet?
forgot-password = Forgot your password?
have-account = Already have an account?
sign-in-link = Sign in
register-title = Create an account
register-intro = One account signs you in to every service of
contact-label = Phone or e-mail
contact-hint = We will send a confirmation code to it. Phone: e.g. +7 900 123-45-67.
name-label = Your name
password-hint = At least { $min } { $min ->
    [one] character
   *[other] characters
}. A few words are the easiest to remember.
terms-label = I accept the terms of service and agree to the processing of my personal data
register-button = Create account
register-code-intro = We sent a 6-digit code to the phone or e-mail you gave. It is valid for 5 minutes.
resend-code = Send the code again
code-resent = A new code was sent.
contact-invalid = Enter a phone number (e.g. +7 900 123-45-67) or an e-mail address.
name-missing = Enter your name.
password-short = The password is too short: use at least { $n } { $n ->
    [one] character
   *[other] characters
}.
password-long = The password is too long: at most { $n } { $n ->
    [one] character
   *[other] characters
}.
password-common = This password is too common: it is on the lists of frequently used and leaked passwords and is easy to guess. Choose another one.
password-same = The password must not be the same as your login, phone or e-mail.
terms-missing = Accept the terms of service to continue.
registration-closed = Registration is closed.
already-registered = This phone or e-mail is already registered. Sign in or reset your password.
reset-title = Reset your password
reset-intro = Enter the phone or e-mail confirmed in your account. We will send a code.
reset-code-intro = If this phone or e-mail belongs to an account, we sent a 6-digit code to it. It is valid for 5 minutes.
new-password-title = Choose a new password
new-password-label = New password
new-password-intro = Once the password is changed, you are signed out everywhere.
save-password = Save the password
password-changed = The password was changed and every session ended. Sign in with the new password.
account-title = your account
security-title = Sign-in security
signed-in-as = Signed in as
state-on = on
state-off = off
totp-title = Authenticator app
totp-about = Codes from an app on your phone work even without internet.
totp-setup = Set up the app
turn-off = Turn off
turn-on = Turn on
sms-title = SMS code at sign-in
sms-needs-phone = A confirmed phone number is needed.
recovery-title = Recovery codes
recovery-left = Unused codes:
recovery-new = Make new codes
sign-out = Sign out
signed-out = You are signed out. The session has ended.
saved = Saved.
totp-enrol-title = Set up the authenticator app
totp-scan = Scan the QR code with an authenticator app (Google Authenticator, Yandex Key, FreeOTP) or type the key by hand, then enter the code the app shows.
qr-label = QR code for the authenticator app
manual-key-label = Key to type by hand
codes-title = Save your recovery codes
codes-intro = Each code works once, when your phone is not at hand. Keep them somewhere safe: they will not be shown again.
codes-done = I have saved the codes
codes-gone = The codes were shown already. If you did not save them, make new ones.
