# E-mail and SMS texts. $operator: the operator's name; $code: the one-time code;
# $minutes: how long the code is valid.

message-valid-for = It expires in { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
}.
message-sign-in-code-subject = { $operator }: Your sign-in code
message-sign-in-code-body = { $operator }: Your sign-in code { $code }. Do not share it with anyone. { message-valid-for }
message-register-code-subject = { $operator }: Confirm your registration
message-register-code-body = { $operator }: Your confirmation code { $code }. Do not share it with anyone. { message-valid-for }
message-reset-code-subject = { $operator }: Password reset
message-reset-code-body = { $operator }: Your password reset code { $code }. Do not share it with anyone. { message-valid-for }
message-second-factor-code-subject = { $operator }: Your verification code
message-second-factor-code-body = { $operator }: Your verification code { $code }. Do not share it with anyone. { message-valid-for }
