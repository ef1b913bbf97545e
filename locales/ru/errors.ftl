# Описания ошибок API (поле `description` тела ошибки /v1), по-русски.
# Идентификатор каждого сообщения — `errorName` ошибки.

invalid_property = Недопустимое значение свойства { $property }: { $reason }
quantity_out_of_range = Количество { $quantity } вне допустимого для предложения диапазона: не меньше { $minimum } и не больше { $maximum }.
subscription_deleted = Удалённую подписку изменить нельзя.
unauthenticated = Доступ запрещён: { $reason }
too_many_failed_sign_ins = Слишком много неудачных попыток входа в эту учётную запись. Повторите через { $seconds } с.
forbidden_role = Ваша роль не позволяет { $action }.
no_active_relationship = У партнёра нет активных отношений реселлера с этим клиентом. Чтобы снова работать с ним, отправьте новый запрос на отношения.
partner_type_not_allowed = Ваш тип партнёра этого не позволяет: { $reason }
not_found = Не найдено: объект ({ $what }) с таким идентификатором вам недоступен.
subscription_not_found = Подписка с идентификатором { $id } не найдена.
active_subscriptions_exist = Отношения реселлера нельзя разорвать, пока активны подписки ({ $count }): { $ids }. Сначала приостановите их или воспользуйтесь отключением клиента.
relationship_already_active = Отношения реселлера с этим партнёром уже активны.
request_expired = Срок запроса на отношения истёк, или запрос отозван.
request_already_answered = На запрос на отношения уже ответили: «{ $state }».
invalid_transition = Действие невозможно: { $entity } в состоянии «{ $state }».
delegated_admin_not_consented = Клиент не давал этому партнёру согласия на делегированное администрирование.
invalid_gdap_duration = Недопустимый срок «{ $value }»: укажите длительность ISO-8601 от P1D до P730D, например P730D, P52W или P1Y.
invalid_gdap_auto_extend = Недопустимое значение autoExtendDuration «{ $value }»: укажите PT0S (без продления) или P180D.
gdap_roles_required = Для отношения GDAP нужна хотя бы одна роль.
gdap_auto_extend_not_allowed = Отношение GDAP с ролью глобального администратора не продлевается автоматически; укажите autoExtendDuration PT0S.
gdap_approval_expired = Клиент не одобрил это отношение GDAP в течение 90 дней; создайте новое.
mail_off = На этом сервере электронная почта выключена (почтовый сервер не настроен), поэтому письмо не отправить; отправьте ссылку сами.
gdap_customer_mismatch = Это отношение GDAP запрошено для другого клиента.
gdap_property_not_editable = { $property } нельзя изменить, пока отношение GDAP в состоянии «{ $state }».
etag_mismatch = Ресурс изменил кто-то другой (ETag из If-Match устарел); загрузите его заново и повторите попытку.
if_match_required = Для этого изменения нужен заголовок If-Match с последним полученным ETag (@odata.etag); прочитайте ресурс и передайте его ETag.
conflict = Конфликт: { $detail }
already_in_use = Значение { $value } поля { $property } уже занято; выберите другое.
payload_too_large = Тело запроса больше { $limit } байт.
uri_too_long = URI запроса длиннее { $limit } байт.
route_not_found = В API нет такого адреса. Все операции перечислены на странице GET /docs.
unavailable = Сервис временно недоступен; повторите попытку чуть позже.
internal = На нашей стороне произошла ошибка. Она записана в журнал; повторите попытку позже.

# Слова, которые подставляются в описания выше: на языке ответа, без английских деталей приложения.

# Почему свойство отклонено, для причин, которые называет сам API (причину из домена
# называют слова панели `reason-*`).
why-required = обязательно
why-given-twice = указано больше одного раза
why-true-or-false = должно быть логическим значением
why-whole-number = должно быть целым числом
why-out-of-range = вне допустимого диапазона
why-uuid = должно быть идентификатором UUID
why-foreign-token = не выдано этим сервером
why-not-supported-here = здесь не поддерживается
why-not-valid = недопустимое значение
why-empty = пусто
why-one-item = нужен хотя бы один элемент
why-one-role = нужна хотя бы одна роль
why-other = значение не принято; причина — в data.reason
why-not-supported-yet = пока не поддерживается

# Почему отклонены учётные данные.
unauthenticated-no-token = не передан токен доступа
unauthenticated-header-not-text = заголовок авторизации — не текст
unauthenticated-not-bearer = нужна схема авторизации Bearer
unauthenticated-empty-bearer = токен доступа пуст
unauthenticated-token-malformed = токен повреждён
unauthenticated-token-algorithm = токен подписан не алгоритмом EdDSA
unauthenticated-token-key-unknown = ключ, которым подписан токен, неизвестен
unauthenticated-token-signature = подпись токена не сходится
unauthenticated-token-expired = срок действия токена истёк
unauthenticated-token-not-yet-valid = токен ещё не начал действовать
unauthenticated-token-audience = токен выдан для другого сервера
unauthenticated-token-organisation = токен выдан для другой организации
unauthenticated-password-changed-since-token = пароль сменился после выдачи токена
unauthenticated-unknown-api-token = токен не найден
unauthenticated-api-token-ended = токен отозван или его срок истёк
unauthenticated-refresh-token = токен обновления недействителен, устарел или уже использован
unauthenticated-client = клиент неизвестен или его секрет неверен
unauthenticated-wrong-email-or-password = неверный адрес электронной почты или пароль
unauthenticated-password-changed-during-sign-in = пароль сменился во время входа
unauthenticated-user-gone = пользователь больше не существует
unauthenticated-unknown-session = сеанс не найден
unauthenticated-session-expired = сеанс завершён по времени
unauthenticated-current-password = текущий пароль введён неверно

# Что запретило правило уникальности (`detail` ошибки `conflict`).
conflict-email-taken = пользователь с этим адресом электронной почты уже есть
conflict-domain-taken = клиент с этим доменом уже есть
conflict-relationship-active = у партнёра уже есть активные отношения с этим клиентом
conflict-reseller-has-provider = у этого реселлера уже есть непрямой поставщик
conflict-reseller-already-linked = этот реселлер уже связан с вами
conflict-last-global-admin = { $email } — последний глобальный администратор организации; сначала назначьте глобальным администратором другого пользователя
conflict-gdap-name-taken = отношение GDAP с таким отображаемым названием уже есть
conflict-group-name-taken = группа безопасности с таким названием уже есть
conflict-already-member = пользователь уже состоит в группе безопасности
conflict-assignment-exists = у группы безопасности уже есть назначение доступа в этом отношении
conflict-group-in-use = группу безопасности использует назначение доступа; сначала удалите назначение
conflict-role-id-taken = роль с таким идентификатором уже есть
conflict-request-handled = запрос с этим идентификатором уже обработан
conflict-request-running = запрос с MS-RequestId { $requestId } ещё выполняется; повторите его позже
conflict-request-id-reused = MS-RequestId { $requestId } уже использован для { $method } { $path }; возьмите новый идентификатор
conflict-secret-taken = такой секрет уже есть
conflict-duplicate = запись с такими значениями уже есть

# Что не найдено (`not_found`) или не допускает действие (`invalid_transition`).
resource-customer = клиент
resource-partner = партнёр
resource-organisation = организация
resource-user = пользователь
resource-member = участник
resource-offer = предложение
resource-order = заказ
resource-subscription = подписка
resource-invitation = приглашение
resource-relationship = отношения
resource-relationship-request = запрос на отношения
resource-indirect-reseller-link = связь с непрямым реселлером
resource-support-contact = контакт поддержки
resource-DAP-grant = права DAP
resource-GDAP-relationship = отношение GDAP
resource-GDAP-request = запрос GDAP
resource-GDAP-operation = операция GDAP
resource-security-group = группа безопасности
resource-webhook-registration = регистрация веб-перехватчика
resource-webhook-event = событие веб-перехватчика
resource-access-assignment = назначение доступа
resource-role = роль
resource-API-token = токен API
resource-refresh-token = токен обновления
resource-server-key = ключ сервера
resource-idempotency-key = ключ идемпотентности
resource-page = страница
resource-other = объект

# Состояния, которые называет отказ.
state-pending = ожидает ответа
state-accepted = принято
state-declined = отклонено
state-revoked = отозвано
state-expired = истекло
state-active = активно
state-closed = закрыто
state-suspended = приостановлено
state-deleted = удалено
state-created = создано
state-approvalPending = ожидает одобрения
state-approved = одобрено
state-activating = активируется
state-expiring = истекает
state-terminationRequested = запрошено завершение
state-terminating = завершается
state-terminated = завершено
state-other = другое состояние

# Почему тип партнёра не позволяет действие (`partner_type_not_allowed`).
partner-type-remove = отношения непрямого реселлера разрывает его непрямой поставщик: попросите поставщика
partner-type-order = непрямой реселлер заказывает через своего непрямого поставщика: попросите поставщика оформить заказ
partner-type-subscriptions = подписками непрямого реселлера управляет его непрямой поставщик: попросите поставщика изменить их
partner-type-add-customer = новых клиентов непрямого реселлера создаёт его непрямой поставщик
partner-type-link-resellers = связывать непрямых реселлеров может только непрямой поставщик
partner-type-customer-for-reseller = клиентов для непрямого реселлера создаёт только непрямой поставщик
