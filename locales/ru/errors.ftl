# Описания ошибок API (поле `description` тела ошибки /v1), по-русски.
# Идентификатор каждого сообщения — `errorName` ошибки.

invalid_property = Недопустимое значение свойства { $property }: { $reason }
quantity_out_of_range = Количество { $quantity } вне допустимого для предложения диапазона: не меньше { $minimum } и не больше { $maximum }.
subscription_deleted = Удалённую подписку изменить нельзя.
unauthenticated = Доступ запрещён: { $reason }
too_many_failed_sign_ins = Слишком много неудачных попыток входа в эту учётную запись. Повторите через { $seconds } с.
forbidden_role = Ваша роль не позволяет это действие ({ $action }).
no_active_relationship = У партнёра нет активных отношений реселлера с этим клиентом. Чтобы снова работать с ним, отправьте новый запрос на отношения.
partner_type_not_allowed = Ваш тип партнёра не позволяет это действие: { $reason }
not_found = Не найдено: объект ({ $what }) с таким идентификатором вам недоступен.
subscription_not_found = Подписка с идентификатором { $id } не найдена.
active_subscriptions_exist = Отношения реселлера нельзя разорвать, пока активны подписки ({ $count }): { $ids }. Сначала приостановите их или воспользуйтесь отключением клиента.
relationship_already_active = Отношения реселлера с этим партнёром уже активны.
request_expired = Срок запроса на отношения истёк, или запрос отозван.
request_already_answered = На запрос на отношения уже ответили ({ $state }).
invalid_transition = Действие невозможно ({ $action }): объект ({ $entity }) в состоянии { $state }.
delegated_admin_not_consented = Клиент не давал этому партнёру согласия на делегированное администрирование.
invalid_gdap_duration = Недопустимый срок «{ $value }»: укажите длительность ISO-8601 от P1D до P730D, например P730D, P52W или P1Y.
invalid_gdap_auto_extend = Недопустимое значение autoExtendDuration «{ $value }»: укажите PT0S (без продления) или P180D.
gdap_roles_required = Для отношения GDAP нужна хотя бы одна роль.
gdap_auto_extend_not_allowed = Отношение GDAP с ролью глобального администратора не продлевается автоматически; укажите autoExtendDuration PT0S.
gdap_approval_expired = Клиент не одобрил это отношение GDAP в течение 90 дней; создайте новое.
gdap_customer_mismatch = Это отношение GDAP запрошено для другого клиента.
gdap_property_not_editable = { $property } нельзя изменить, пока отношение GDAP в состоянии { $state }.
etag_mismatch = Ресурс изменил кто-то другой (ETag из If-Match устарел); загрузите его заново и повторите попытку.
conflict = Конфликт: { $detail }
already_in_use = Значение { $value } поля { $property } уже занято; выберите другое.
payload_too_large = Тело запроса больше { $limit } байт.
uri_too_long = URI запроса длиннее { $limit } байт.
route_not_found = В API нет такого адреса. Все операции перечислены на странице GET /docs.
unavailable = Сервис временно недоступен; повторите попытку чуть позже.
internal = На нашей стороне произошла ошибка. Она записана в журнал; повторите попытку позже.
