-- The personal cabinet.
--
-- `sessions.reauth_at`: when the owner of a session last proved again who they are
-- (password or second factor) for a sensitive change of their account.
-- `sessions.user_agent`, `sessions.ip`: the browser and address the session began from,
-- shown on the sessions page.
-- `account_factors.phone_sign_in_off`: the owner turned sign-in by phone + SMS code off.
ALTER TABLE sessions ADD COLUMN reauth_at BIGINT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN ip TEXT;
ALTER TABLE account_factors ADD COLUMN phone_sign_in_off SMALLINT NOT NULL DEFAULT 0 CHECK (phone_sign_in_off IN (0, 1));
