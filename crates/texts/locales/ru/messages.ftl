# E-mail and SMS texts. $operator: the operator's name; $code: the one-time code;
# $minutes: how long the code is valid.

message-valid-for = Код действует { $minutes } { $minutes ->
    [one] минуту
    [few] минуты
   *[other] минут
}.
message-sign-in-code-subject = { $operator }: Код для входа
message-sign-in-code-body = { $operator }: Код для входа { $code }. Никому его не сообщайте. { message-valid-for }
message-register-code-subject = { $operator }: Подтверждение регистрации
message-register-code-body = { $operator }: Код подтверждения { $code }. Никому его не сообщайте. { message-valid-for }
message-reset-code-subject = { $operator }: Сброс пароля
message-reset-code-body = { $operator }: Код для сброса пароля { $code }. Никому его не сообщайте. { message-valid-for }
message-second-factor-code-subject = { $operator }: Код подтверждения входа
message-second-factor-code-body = { $operator }: Код подтверждения входа { $code }. Никому его не сообщайте. { message-valid-for }
