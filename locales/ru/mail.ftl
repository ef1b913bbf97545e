# Письма, которые отправляет система, по-русски. Те же сообщения, что в locales/en/mail.ftl.

mail-greeting = Здравствуйте!
mail-signature = partnerdesk
mail-link-hint = Если кнопка не работает, скопируйте этот адрес в браузер:

mail-password-reset-subject = Новый пароль partnerdesk
mail-password-reset-body = Кто-то попросил задать новый пароль для учётной записи partnerdesk { $email }. Если это были вы, откройте ссылку ниже в течение часа. Она действует один раз.
mail-password-reset-ignore = Если это были не вы, просто не обращайте внимания на это письмо: пароль останется прежним.
mail-password-reset-action = Задать новый пароль

mail-relationship-request-subject = { $partner } предлагает стать вашим реселлером
mail-relationship-request-body = { $partner } запрашивает отношения реселлера с вашей организацией. Откройте ссылку, чтобы увидеть, о чём идёт речь, и примите или отклоните запрос.
mail-relationship-request-action = Открыть запрос

mail-gdap-approval-subject = { $partner } запрашивает роли администратора в { $customer }
mail-gdap-approval-body = { $partner } просит одобрить отношения GDAP «{ $name }» на { $days } дн. Откройте ссылку, чтобы увидеть запрошенные роли, и одобрите или отклоните их.
mail-gdap-approval-action = Рассмотреть запрос

mail-relationship-removed-subject = Отношения реселлера с { $partner } удалены
mail-relationship-removed-body = Отношения реселлера между { $customer } и { $partner } удалены { $date }. { $partner } больше не может совершать покупки от вашего имени и администрировать вашу организацию. Ваши подписки остаются без изменений.

mail-gdap-expiring-subject = Отношения GDAP «{ $name }» заканчиваются { $date }
mail-gdap-expiring-body = Отношения GDAP «{ $name }» с клиентом { $customer } заканчиваются { $date } и сами не продлятся. До этой даты продлите их или попросите клиента одобрить новые.
mail-gdap-expiring-action = Открыть отношения
