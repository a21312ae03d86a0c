## Ключи доступа: раздел кабинета, вход по ключу доступа, ключ доступа как второй фактор.

passkeys-title = Ключи доступа
passkeys-intro = Ключ доступа позволяет входить без пароля — с блокировкой экрана устройства или аппаратным ключом. Он же подтверждает вход по паролю как второй фактор.
passkeys-count = { $n ->
    [0] нет
    [one] { $n } ключ
    [few] { $n } ключа
   *[many] { $n } ключей
}
passkeys-none = Ключей доступа пока нет.
passkeys-created = Добавлен
passkeys-last-used = Последний вход
passkeys-never-used = не использовался
passkeys-kind = Вид
passkeys-synced = синхронизируется между вашими устройствами
passkeys-device = хранится на одном устройстве
passkeys-rename = Переименовать
passkeys-remove = Удалить
passkeys-add-title = Добавить ключ доступа
passkeys-add = Добавить ключ доступа
passkeys-added = Ключ доступа добавлен.
passkeys-renamed = Ключ доступа переименован.
passkeys-removed = Ключ доступа удалён: по нему больше нельзя войти.
passkeys-gone = Этого ключа доступа уже нет в учётной записи.
passkeys-name-missing = Дайте ключу доступа название.
passkey-name-label = Название ключа доступа
passkey-sign-in = Войти с ключом доступа
passkey-use = Использовать ключ доступа
passkey-factor-intro = Подтвердите вход одним из ваших ключей доступа.
passkey-needs-js = Для ключей доступа нужен JavaScript, а он в этом браузере выключен.
passkey-unsupported = Для ключей доступа нужен JavaScript и браузер, который их поддерживает.
passkey-error-refused = Ключ доступа не принят. Попробуйте ещё раз или войдите другим способом.
passkey-error-cancelled = Запрос ключа доступа отменён или истёк по времени.
passkey-error-expired = Запрос ключа доступа устарел. Попробуйте ещё раз.
factor-passkey = Ключ доступа
admin-event-passkey-added = Добавлен ключ доступа
admin-event-passkey-removed = Удалён ключ доступа
docs-error-passkey-refused = Ключ доступа (учётные данные WebAuthn) не прошёл проверку проверяющей стороны: чужой источник или запрос, неверная подпись, счётчик пошёл назад или ключ не зарегистрирован. В описании названа проверка.
