-- The personal cabinet.
--
-- `sessions.reauth_at`: when the owner of a session last proved again who they are
-- (password or second factor) for a sensitive change of their account.
-- `sessions.user_agent`, `sessions.ip`: the browser and address the session began from,
-- shown on the sessions page.
ALTER TABLE sessions ADD COLUMN reauth_at BIGINT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN ip TEXT;
