## Passkeys: the cabinet section, sign-in with a passkey, a passkey as the second factor.

passkeys-title = Passkeys
passkeys-intro = A passkey signs you in with your device's screen lock or a security key, without a password. It also confirms a sign-in with a password as the second factor.
passkeys-count = { $n ->
    [0] none
    [one] { $n } passkey
   *[other] { $n } passkeys
}
passkeys-none = You have no passkeys yet.
passkeys-created = Added
passkeys-last-used = Last used
passkeys-never-used = never
passkeys-kind = Kind
passkeys-synced = synced between your devices
passkeys-device = kept on one device
passkeys-rename = Rename
passkeys-remove = Remove
passkeys-add-title = Add a passkey
passkeys-add = Add a passkey
passkeys-added = The passkey was added.
passkeys-renamed = The passkey was renamed.
passkeys-removed = The passkey was removed: it no longer signs you in.
passkeys-gone = That passkey is not on your account any more.
passkeys-name-missing = Give the passkey a name.
passkey-name-label = Name of the passkey
passkey-sign-in = Sign in with a passkey
passkey-use = Use a passkey
passkey-factor-intro = Confirm the sign-in with one of your passkeys.
passkey-needs-js = Passkeys need JavaScript, which is off in this browser.
passkey-unsupported = Passkeys need JavaScript and a browser that supports them.
passkey-error-refused = The passkey was not accepted. Try again, or use another way to sign in.
passkey-error-cancelled = The passkey request was cancelled or timed out.
passkey-error-expired = The passkey request expired. Try again.
factor-passkey = Passkey
admin-event-passkey-added = Passkey added
admin-event-passkey-removed = Passkey removed
docs-error-passkey-refused = A passkey (WebAuthn credential) failed a check of the relying party: wrong origin or challenge, a bad signature, a counter that went back, or a passkey that is not registered. The description names the check.
