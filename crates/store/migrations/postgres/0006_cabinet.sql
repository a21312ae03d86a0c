-- The personal cabinet.
--
-- `sessions.reauth_at`: when the owner of a session last proved again who they are
-- (password or second factor) for a sensitive change of their account.
ALTER TABLE sessions ADD COLUMN reauth_at BIGINT;
