cabinet-title = Ваш аккаунт
cabinet-back = ← К аккаунту
cabinet-warnings = Предупреждения
cabinet-warn-no-factor = Второй фактор не включён: войти сможет любой, кто узнает пароль. Включите приложение-аутентификатор или SMS-коды в разделе «Безопасность входа».
cabinet-warn-email = Адрес электронной почты не подтверждён.
cabinet-verified = подтверждён
cabinet-unverified = не подтверждён
cabinet-none = не указан
cabinet-email = Электронная почта
cabinet-phone = Телефон
cabinet-second-factor = Второй фактор
cabinet-sessions = Браузеры, где выполнен вход
cabinet-sessions-live = активных: { $n }
cabinet-accesses = Приложения с доступом
cabinet-accesses-count = { $n ->
    [one] { $n } приложение
    [few] { $n } приложения
   *[many] { $n } приложений
}
cabinet-reauth-title = Подтвердите, что это вы
cabinet-reauth-intro = Для этого изменения нужно заново подтвердить, что это вы. Введите пароль или код из приложения-аутентификатора.
cabinet-reauth-link = Подтвердить
cabinet-proof-stale = Отключение фактора, новые резервные коды и новый пароль без текущего требуют свежего подтверждения.
cabinet-current-password = Текущий пароль
cabinet-current-wrong = Неверный пароль.
cabinet-current-needed = Введите текущий пароль.
cabinet-password-missing = Введите пароль.
cabinet-code-missing = Введите код из приложения.
cabinet-no-proof = У аккаунта нет ни пароля, ни приложения-аутентификатора. Выйдите и войдите снова, чтобы подтвердить, что это вы.
cabinet-password-title = Пароль
cabinet-password-changed = Пароль изменён.
cabinet-sign-out-others = Выйти во всех остальных браузерах
cabinet-more-methods = Сертификаты и ключи доступа
cabinet-more-methods-about = Здесь появится вход по сертификату и ключу доступа (passkey).
message-password-changed-subject = { $operator }: пароль изменён
message-password-changed-body = { $operator }: пароль вашего аккаунта изменён. Если это были не вы, сразу восстановите пароль и обратитесь в поддержку.
message-factor-disabled-subject = { $operator }: второй фактор отключён
message-factor-disabled-body = { $operator }: второй фактор вашего аккаунта отключён. Если это были не вы, сразу восстановите пароль и обратитесь в поддержку.
cabinet-accesses-intro = Приложения, которым вы разрешили доступ к аккаунту. После отзыва приложение выйдет из аккаунта и снова спросит разрешения.
cabinet-access-product = Сервис:
cabinet-access-granted = Разрешено
cabinet-access-used = последний вход
cabinet-access-revoke = Отозвать доступ
cabinet-access-revoked = Доступ отозван. Приложение снова спросит вашего разрешения.
cabinet-access-gone = Такого приложения больше нет.
cabinet-no-accesses = Ни у одного приложения нет доступа к вашему аккаунту.
