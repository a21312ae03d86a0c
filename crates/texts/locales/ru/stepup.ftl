## Объекты запроса (RFC 9101) и повышение уровня аутентификации

docs-error-request-object-invalid = Подписанный объект запроса (параметр request) отклонён: это не JWT, alg none, HMAC или иной недопустимый алгоритм, ни один ключ клиента его не проверяет, iss или client_id не равны клиенту, aud не этот издатель, срок истёк или ещё не наступил, jti повторён, либо внутри есть request или request_uri; описание называет причину.
docs-error-signed-request-object-required = Клиент зарегистрирован с require_signed_request_object: параметры его запросов авторизации должны приходить в подписанном объекте запроса (request), напрямую или через точку PAR.
docs-error-unmet-authentication-requirements = Клиент запросил (acr_values, обязательный claim acr или свой минимум) уровень аутентификации, которого учётная запись достичь не может: нужен второй фактор, а он не подключён.
docs-code-unmet_authentication_requirements = Провайдер не может аутентифицировать пользователя на запрошенном уровне (OpenID Connect Unmet Authentication Requirements 1.0).
