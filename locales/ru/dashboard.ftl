# Слова панели управления, по-русски. Идентификаторы — через дефис (у ошибок API — через подчёркивание).

brand = partnerdesk
skip-to-content = Перейти к содержимому
nav-home = Главная
nav-customers = Клиенты
nav-profile = Профиль
nav-main = Основное меню
sign-out = Выйти
signed-in-as = Вы вошли как { $name }
language = Язык
language-switch = Сменить
footer-api = Справочник API

# sign-in
signin-title = Вход
signin-intro = Войдите с адресом электронной почты и паролем вашей учётной записи partnerdesk.
signin-email = Электронная почта
signin-password = Пароль
signin-submit = Войти
signin-failed = Неверный адрес электронной почты или пароль. Проверьте оба и попробуйте снова.
signin-throttled = Слишком много неудачных попыток входа с этим адресом. Попробуйте снова через { $minutes ->
        [one] { $minutes } минуту
        [few] { $minutes } минуты
       *[many] { $minutes } минут
    }.
signin-demo-hint = Пробуете демо? Пароль всех демонстрационных пользователей сервер печатает при запуске.
signed-out = Вы вышли из системы.
signin-forgot = Забыли пароль?
forgot-title = Забытый пароль
forgot-intro = Введите адрес электронной почты своей учётной записи. Если она есть, мы пришлём на него ссылку для нового пароля; ссылка действует один раз в течение часа.
forgot-submit = Отправить ссылку
forgot-sent = Если с этим адресом есть учётная запись, на него уже отправлено письмо со ссылкой для нового пароля. Ссылка действует один раз в течение часа.
forgot-no-mail = Эта установка не отправляет электронную почту. Попросите администратора вашей организации задать вам новый пароль.
forgot-back = Вернуться ко входу
forgot-throttled = Слишком много запросов для этого адреса. Попробуйте снова через { $minutes ->
        [one] { $minutes } минуту
        [few] { $minutes } минуты
       *[many] { $minutes } минут
    }.
reset-title = Новый пароль
reset-intro = Введите новый пароль дважды. После этого вы выйдете из системы везде, а ваши токены API перестанут действовать.
reset-submit = Задать пароль
reset-done = Новый пароль задан. Войдите с ним.
reset-too-short = Новый пароль слишком короткий: нужно не меньше 8 символов.
reset-refused-unknown = Эта ссылка не работает. Скопируйте адрес из письма целиком или запросите новую ссылку.
reset-refused-used = Эта ссылка уже использована. Она действует один раз: при необходимости запросите новую.
reset-refused-expired = Срок действия ссылки истёк: она действует час. Запросите новую.
reset-ask-again = Запросить новую ссылку

# errors shown as pages
error-title = Что-то пошло не так
error-not-found-title = Не найдено
error-not-found = Здесь ничего нет, или у вас нет доступа.
error-csrf = Форма устарела или отправлена не с этой страницы. Обновите страницу и попробуйте снова.
error-back = Вернуться на главную
error-forbidden-title = Действие запрещено
error-uri-too-long-title = Слишком длинный адрес
error-uri-too-long = Этот адрес слишком длинный. Вернитесь назад и попробуйте более короткий запрос.

# home
home-title = Главная
home-welcome = Добро пожаловать, { $name }
home-welcome-unnamed = Добро пожаловать
home-add-name = Укажите своё имя в профиле, чтобы другие видели, кто вы.
home-customers = Клиенты
home-active-subscriptions = Активные подписки
home-suspended-subscriptions = Приостановленные подписки
home-pending-requests = Запросы на отношения в ожидании
home-dap-expiring = Отношения делегированного администрирования, истекающие в ближайшие 30 дней
home-go-customers = Открыть список клиентов

# customers
customers-title = Клиенты
customers-search = Поиск по названию или домену
customers-search-submit = Найти
customers-search-clear = Сбросить
customers-count = { $count ->
        [one] { $count } клиент
        [few] { $count } клиента
       *[many] { $count } клиентов
    }
customers-count-search = По запросу «{ $query }» { $count ->
        [one] найден { $count } клиент
        [few] найдено { $count } клиента
       *[many] найдено { $count } клиентов
    }
customers-none = У вас пока нет клиентов. Отправьте запрос на отношения реселлера, чтобы начать работу с клиентом.
customers-none-search = По запросу «{ $query }» клиентов не найдено.
customers-export = Выгрузить в CSV
customers-search-invalid = Поиск не может содержать управляющие символы, например табуляцию или перевод строки. Уберите их и повторите поиск.
customers-status-since = Отношения реселлера с { $date }
customers-status-dap = DAP: есть
customers-status-no-dap = DAP: нет
customers-status-unknown = —
col-company = Компания
col-domain = Домен
col-country = Страна
col-culture = Язык
paging-next = Следующая страница
paging-label = Страницы
paging-first = Первая страница

# one customer
customer-tabs = Разделы клиента
tab-account = Учётная запись
tab-subscriptions = Подписки
company-profile = Профиль компании
billing-profile = Платёжный профиль
field-company-name = Название компании
field-domain = Домен
field-country = Страна
field-culture = Язык и регион
field-contact = Контактное лицо
field-email = Электронная почта
field-address = Адрес
field-none = —
relationship = Отношения реселлера
relationship-since = Действуют с { $date }
delegated-admin = Делегированное администрирование
delegated-admin-active = У вас есть права делегированного администратора этого клиента.
delegated-admin-consented = Клиент согласился на делегированное администрирование, но вы им ещё не воспользовались.
delegated-admin-none = Прав делегированного администратора нет.
remove-relationship = Удалить отношения реселлера
remove-blocked = Нельзя удалить отношения, пока { $count ->
        [one] активна { $count } подписка
        [few] активны { $count } подписки
       *[many] активно { $count } подписок
    }. Сначала приостановите их:
remove-allowed = Активных подписок нет. Отношения можно удалить.

# removal confirmation
remove-title = Удалить отношения реселлера с «{ $name }»?
remove-effects = Удаление отношений сразу:
remove-effect-close = закроет ваши отношения реселлера с «{ $name }» (они останутся в истории клиента и в журнале аудита);
remove-effect-list = уберёт «{ $name }» из вашего списка клиентов;
remove-effect-support = исключит вас из доступных контактов поддержки клиента{ $count ->
        [0] {""}
        [one] {" "}и из { $count } подписки, где вы указаны контактом поддержки
        [few] {" "}и из { $count } подписок, где вы указаны контактом поддержки
       *[many] {" "}и из { $count } подписок, где вы указаны контактом поддержки
    };
remove-effect-dap = прекратит ваши права делегированного администратора (DAP) и завершит { $count ->
        [one] { $count } отношение GDAP
        [few] { $count } отношения GDAP
       *[many] { $count } отношений GDAP
    };
remove-effect-dap-only = прекратит ваши права делегированного администратора (DAP);
remove-effect-gdap-only = завершит { $count ->
        [one] { $count } отношение GDAP
        [few] { $count } отношения GDAP
       *[many] { $count } отношений GDAP
    };
remove-effect-buy = лишит вас права покупать для этого клиента и возобновлять его подписки.
remove-keeps = Приостановленные подписки останутся приостановленными; ничего не удаляется. Чтобы снова работать с «{ $name }», понадобится новый запрос на отношения.
remove-reason = Причина (необязательно, сохранится в истории)
remove-confirm = Удалить отношения
remove-cancel = Отмена
removed = Отношения реселлера с «{ $name }» удалены.

# subscriptions
subscriptions-title = Подписки
subscriptions-none = У этого клиента нет подписок, оформленных через вас.
col-select = Выбрать
col-subscription = Подписка
col-offer = Предложение
col-quantity = Лицензии
col-status = Состояние
col-created = Создана
col-term = Срок
status-active = Активна
status-suspended = Приостановлена
status-deleted = Удалена
status-expired = Истекла
subscriptions-suspend-selected = Приостановить выбранные
subscriptions-reactivate-selected = Возобновить выбранные
subscriptions-bulk-done = { $changed ->
        [one] Изменена { $changed } подписка
        [few] Изменены { $changed } подписки
       *[many] Изменено { $changed } подписок
    }, отказано: { $refused }.
subscriptions-bulk-none = Сначала выберите хотя бы одну подписку.
subscription-cancel = Отменить подписку…
subscription-cancel-title = Отменить подписку «{ $name }»?
subscription-cancel-effects = Отмена удаляет подписку:
subscription-cancel-effect-seats = клиент сразу теряет { $count ->
        [one] { $count } место
        [few] { $count } места
       *[many] { $count } мест
    } в «{ $offer }»;
subscription-cancel-effect-final = её нельзя возобновить: чтобы продать то же снова, оформите новый заказ;
subscription-cancel-effect-kept = она остаётся в списке подписок клиента с состоянием «Удалена».
subscription-cancel-instead = Чтобы остановить её на время и сохранить возможность вернуть, приостановите её.
subscription-cancel-confirm = Отменить подписку
subscription-cancel-keep = Оставить
subscription-cancelled = Подписка «{ $name }» отменена (удалена).
subscription-support = Контакт поддержки
subscription-support-none = Не назначен
subscription-support-choice = Контакт поддержки по этой подписке
subscription-support-hint = Партнёры, с которыми работает клиент; выбранный отвечает на обращения клиента в поддержку по этой подписке.
subscription-support-save = Сохранить контакт поддержки
subscription-support-saved = Контакт поддержки сохранён.
subscription-support-choose = Выберите один из контактов поддержки клиента.
subscription-status-choice = Состояние
subscription-submit = Отправить
subscription-saved = Подписка теперь: { $status }.
subscription-unchanged = Ничего не изменилось: у подписки уже это состояние.
subscription-back = Все подписки этого клиента
subscription-suspend-note = Приостановленная подписка перестаёт работать у пользователей клиента до возобновления. Оплата при этом тоже останавливается.
error-partners-only = Эта страница для партнёров. Войдите с учётной записью партнёра.
term-monthly = Месяц
term-yearly = Год
term-monthly-inline = месяц
term-yearly-inline = год
subscription-choose-status = Выберите «Активна» или «Приостановлена» и нажмите «Отправить».

# operator
nav-partners = Партнёры
nav-offers = Предложения
op-only = Эта страница для оператора partnerdesk.
op-partners-title = Партнёры
op-mail-queued = Ждут отправки { $count ->
        [one] { $count } письмо
        [few] { $count } письма
       *[many] { $count } писем
    }.
op-mail-parked = Не отправлены после всех попыток: { $count ->
        [one] { $count } письмо
        [few] { $count } письма
       *[many] { $count } писем
    }.
op-partners-none = Партнёров пока нет. Добавьте первого.
op-partner-add = Добавить партнёра
op-partner-new-title = Добавить партнёра
op-partner-create = Создать партнёра и его администратора
op-partner-created = Партнёр «{ $name }» добавлен. Его администратор уже может войти.
op-col-name = Название
op-col-type = Тип партнёра
op-type-direct = Прямой партнёр
op-type-indirect-provider = Непрямой поставщик
op-type-indirect-reseller = Непрямой реселлер
op-provider = Непрямой поставщик (для непрямого реселлера)
op-provider-hint = Непрямой реселлер продаёт через одного непрямого поставщика; для других типов оставьте пустым.
op-provider-needed = Выберите непрямого поставщика, через которого продаёт этот реселлер.
op-first-admin = Первый администратор
op-admin-name = Имя (необязательно)
op-password-hint = Не меньше 8 символов. Передайте пароль администратору надёжным способом; позже его можно сменить.
op-offers-title = Предложения
op-offers-none = Каталог пуст. Добавьте первое предложение.
op-offer-add = Добавить предложение
op-offer-new-title = Добавить предложение
op-offer-edit-title = Изменить «{ $name }»
op-offer-save = Сохранить предложение
op-offer-saved = Предложение «{ $name }» сохранено.
op-col-price = Цена за единицу за срок
op-col-seats = Лицензии
op-col-countries = Страны
op-col-available = В продаже
op-on-sale = В продаже
op-off-sale = Снято с продажи
op-description = Описание
op-unit-type = Единица
op-currency = Валюта (код ISO)
op-min = Наименьшее число лицензий в подписке
op-max = Наибольшее число лицензий в подписке
op-price-hint = Например, 12.50.
op-countries-hint = Двухбуквенные коды стран через запятую: US, GB, DE.

# customer tabs: orders, offboarding, history
tab-orders = Заказы
tab-offboarding = Отключение
tab-history = История

# orders
orders-title = Заказы
orders-new = Оформить заказ
orders-offer = Предложение
orders-offer-option = { $name } · { $min }–{ $max } ({ $unit }) · { $price } за единицу · срок: { $term }
orders-offer-hint = В списке только предложения, которые продаются в стране клиента ({ $country }).
orders-quantity = Лицензии
orders-quantity-range = Не меньше { $min } и не больше { $max } лицензий.
orders-quantity-range-each = Допустимое число лицензий указано рядом с названием каждого предложения.
orders-friendly-name = Название подписки (необязательно)
orders-friendly-name-hint = Оставьте пустым, и подписка получит название предложения.
orders-submit = Оформить заказ
orders-no-offers = Сейчас в стране { $country } не продаётся ни одно предложение каталога, поэтому заказать для этого клиента ничего нельзя. Попросите оператора partnerdesk добавить предложение.
orders-choose-offer = Выберите предложение из списка.
orders-quantity-not-a-number = Укажите число лицензий целым числом, например 5.
orders-fix = Ничего не куплено. Исправьте форму ниже и оформите заказ снова.
orders-placed = Заказано: { $offer }, { $quantity } шт., подписка «{ $name }». Новая подписка — на вкладке «Подписки».
orders-none = Вы ещё не оформляли заказов для этого клиента.
orders-col-placed = Оформлен

# offboarding
offboard-title = Отключение
offboard-intro = Отключение за один шаг завершает вашу работу с «{ $name }». Проверьте, что будет сделано, и подтвердите внизу страницы.
offboard-suspend-heading = Подписки, которые будут приостановлены ({ $count })
offboard-suspend-none = Активных подписок нет: приостанавливать нечего.
offboard-seats = { $count ->
        [one] { $count } лицензия
        [few] { $count } лицензии
       *[many] { $count } лицензий
    }
offboard-support-heading = Назначения контактом поддержки, которые будут сняты ({ $count })
offboard-support-none = Ни в одной подписке вы не указаны контактом поддержки.
offboard-rights-heading = Права делегированного администратора, которые прекратятся ({ $count })
offboard-rights-none = У вас нет прав делегированного администратора (DAP или GDAP) для этого клиента.
offboard-dap-item = Делегированное администрирование (DAP), выдано { $date }, прекратится
offboard-gdap-item = Отношения GDAP «{ $name }» ({ $status ->
        [created] созданы
        [approvalPending] ждут одобрения
        [approved] одобрены
        [activating] активируются
        [active] активны
        [expiring] истекают
        [terminationRequested] запрошено завершение
        [terminating] завершаются
       *[other] { $status }
    }, { $roles ->
        [one] { $roles } роль
        [few] { $roles } роли
       *[many] { $roles } ролей
    }) будут завершены
offboard-confirm-heading = Подтвердите отключение
offboard-then = Помимо приостановки подписок, отключение одновременно:
offboard-keeps = Ничего не удаляется: приостановленные подписки останутся приостановленными. Чтобы снова работать с «{ $name }», понадобится новый запрос на отношения.
offboard-type-name = Название компании для подтверждения
offboard-type-name-hint = Введите «{ $name }» точно так, как здесь написано.
offboard-submit = Отключить «{ $name }»
offboard-name-mismatch = Введённое название не совпадает с «{ $name }», поэтому ничего не изменилось. Введите название компании точно как показано и подтвердите снова.
offboard-done = Клиент «{ $name }» отключён: { $count ->
        [one] приостановлена { $count } подписка
        [few] приостановлены { $count } подписки
       *[many] приостановлено { $count } подписок
    }, отношения реселлера удалены.
offboard-instead = Или отключите клиента: приостановите все подписки и удалите отношения за один подтверждённый шаг.

# relationship history
former-title = Бывшие клиенты
former-intro = Клиенты, с которыми вы больше не работаете: все отношения реселлера с ними закрыты. Их история остаётся здесь, только для чтения.
former-none = Бывших клиентов у вас нет.
former-history-intro = Ваши отношения реселлера с этим бывшим клиентом, сначала новые. Вы больше с ним не работаете, поэтому показано только это.
customers-former-link = Бывшие клиенты
history-title = История отношений
history-intro = Ваши отношения реселлера с этим клиентом, сначала новые. Закрытые отношения остаются здесь для истории.
history-col-started = Начало
history-col-ended = Окончание
history-col-ended-by = Кто завершил
history-col-reason = Причина
history-col-dap = Делегированное администрирование
history-state-active = Активны
history-state-closed = Закрыты
history-closed-by-you = { $name } (ваша организация)
history-closed-by-customer = Клиент
history-closed-by-provider = Ваш непрямой поставщик от вашего имени
history-closed-by-unknown = Пользователь, которого уже удалили
history-dap-yes = Согласие дано
history-dap-no = Не запрашивалось

# request a reseller relationship
customers-request = Запросить отношения реселлера
request-title = Запрос на отношения реселлера
request-new-heading = Новая ссылка-приглашение
request-intro = Вы получите ссылку для глобального администратора клиента: он откроет её, увидит, кто и что запрашивает, и примет или отклонит запрос. Ссылка действует { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }.
request-rights-legend = Что вы запрашиваете
request-rights-always = Всегда — отношения реселлера: вы сможете покупать подписки для клиента, управлять проданными вами подписками и быть одним из его контактов поддержки.
request-include-dap = Также запросить права делегированного администратора (DAP)
request-include-dap-hint = Доступ администратора к службам клиента. Клиент может отозвать его в любой момент.
request-submit = Создать ссылку-приглашение
request-send-to = Также отправить по адресу (необязательно)
request-send-to-hint = Адрес электронной почты администратора клиента. Мы отправим ссылку от вашего имени; скопировать её можно в любом случае.
request-mailed = Запрос отправлен на адрес { $email }.
request-rights-reseller = отношения реселлера
request-rights-dap = отношения реселлера и делегированное администрирование (DAP)
request-link-heading = Ваша ссылка-приглашение
request-created = Приглашение готово. Запрашивается: { $rights }.
request-link-label = Ссылка-приглашение
request-link-hint = Отправьте её глобальному администратору клиента. Ссылка действует до { $date }. Она показывается только сейчас: скопируйте её, прежде чем уйти с этой страницы.
request-email-label = Письмо для отправки
request-email-hint = Скопируйте этот текст в письмо глобальному администратору клиента.
request-another = Получить ссылку другого вида
request-pending-heading = Запросы в ожидании
request-pending-none = Запросов в ожидании нет.
request-pending-hint = Запрос превращается в отношения, когда клиент его принимает. Ссылка показывается только при создании.
request-col-created = Создан
request-col-rights = Что запрашивается
request-col-expires = Действует до
request-email-subject-label = Тема
request-email-subject = { $partner } приглашает вас установить отношения реселлера
request-email-greeting = Здравствуйте!
request-email-reseller = { $partner } предлагает стать вашим реселлером. Отношения реселлера позволят { $partner } покупать подписки для вашей организации, управлять проданными вам подписками и быть одним из ваших контактов поддержки.
request-email-dap = { $partner } также запрашивает права делегированного администратора (DAP): доступ администратора к службам вашей организации, чтобы помогать вам с ними. Вы можете отозвать эти права в любой момент.
request-email-how = Чтобы принять или отклонить приглашение, глобальный администратор вашей организации открывает эту ссылку и входит в систему:
request-email-expires = Ссылка действует до { $date }. Если вы не ждали этого приглашения, просто не обращайте внимания на это письмо.
request-email-sign-off = С уважением,
    { $partner }

# invitation (the page a relationship request link opens)
invitation-title = { $partner } приглашает вас установить отношения реселлера
invitation-unknown-title = Приглашение не найдено
invitation-unknown = Эта ссылка-приглашение недействительна. Проверьте, что открыли ссылку из письма целиком, или попросите партнёра прислать новую.
invitation-intro = { $partner } хочет стать партнёром вашей организации. Прочитайте, что он запрашивает, и примите или отклоните приглашение.
invitation-expired = Срок действия приглашения истёк, ответить на него уже нельзя. Попросите { $partner } прислать новое.
invitation-revoked = { $partner } отозвал это приглашение, ответить на него уже нельзя. Если вы по-прежнему хотите работать вместе, попросите { $partner } прислать новое.
invitation-was-accepted = Приглашение принято: { $partner } — партнёр организации, которая его приняла. Ответить на него ещё раз нельзя.
invitation-was-declined = Приглашение отклонено, ответить на него ещё раз нельзя. Чтобы работать вместе, { $partner } должен прислать новое.
invitation-rights-heading = Что запрашивает { $partner }
invitation-right-reseller = Реселлер
invitation-right-reseller-what = { $partner } сможет покупать продукты для вашей организации, управлять подписками, которые он вам продал, и будет среди ваших контактов поддержки.
invitation-right-dap = Делегированное администрирование (DAP)
invitation-right-dap-what = { $partner } также запрашивает доступ администратора к вашей организации, чтобы помогать вам в работе. Эти роли администратора можно отозвать в любой момент, не прекращая отношений.
invitation-right-dap-none = Не запрашивается: { $partner } не получит доступа администратора к вашей организации.
invitation-expires = Действует до
invitation-answer-heading = Ваш ответ
invitation-signin-needed = Ответить может только глобальный администратор приглашённой организации. Сначала войдите — после входа вы вернётесь на эту страницу.
invitation-signin = Войти, чтобы ответить
invitation-already-partner = Ваша организация уже работает с { $partner }, принимать нечего.
invitation-see-partners = Открыть отношения с партнёрами
invitation-accept-effect = Если принять приглашение, отношения с { $partner } начнутся сразу. Прекратить их можно позже на странице «Отношения с партнёрами», когда у { $partner } не останется активных подписок с вами.
invitation-decline-effect = Отказ окончателен: отношения не начнутся, и { $partner } придётся прислать новое приглашение.
invitation-accept = Принять
invitation-decline = Отклонить
invitation-customer-user = Ответить на приглашение может только глобальный администратор вашей организации. Перешлите ему эту ссылку.
invitation-not-customer = Ответить на приглашение может только глобальный администратор приглашённого клиента. Вы вошли с учётной записью партнёра или оператора — она не может ответить.
invitation-accepted = Вы приняли приглашение: { $partner } теперь ваш партнёр.
invitation-declined = Вы отклонили приглашение от { $partner }. Ничего не изменилось.

# customer: partner relationships
mypartners-nav = Партнёры
mypartners-customers-only = Эта страница для клиентов. Войдите с учётной записью вашей организации, чтобы увидеть её партнёров.
mypartners-title = Отношения с партнёрами
mypartners-intro = Партнёры, с которыми работает ваша организация, и что каждый из них может делать для вас.
mypartners-active-heading = Действующие отношения
mypartners-none = У вас нет действующих партнёров. Партнёр начинает работу с вами, присылая ссылку-приглашение: откройте её и примите.
mypartners-admin-only = Отзывать роли администратора партнёра и прекращать отношения может только глобальный администратор вашей организации.
mypartners-since = Партнёр с
mypartners-rights = Права
mypartners-right-reseller = Реселлер
mypartners-right-dap = Делегированное администрирование (DAP)
mypartners-right-gdap = Детализированное делегированное администрирование (GDAP): { $count ->
        [one] { $count } отношение
        [few] { $count } отношения
       *[many] { $count } отношений
    }
mypartners-right-no-admin = Нет ролей администратора
mypartners-remove-roles = Отозвать роли администратора
mypartners-end = Прекратить отношения с реселлером
mypartners-end-blocked = Нельзя прекратить отношения, пока у { $partner } { $count ->
        [one] { $count } активная подписка с вами
        [few] { $count } активные подписки с вами
       *[many] { $count } активных подписок с вами
    }. Попросите { $partner } сначала приостановить их:
mypartners-history-heading = История
mypartners-history-intro = Прекращённые отношения остаются здесь и в журнале аудита.
mypartners-history-none = Прекращённых отношений пока нет.
mypartners-col-partner = Партнёр
mypartners-col-from = С
mypartners-col-ended = Прекращены
mypartners-end-title = Прекратить отношения с реселлером { $partner }?
mypartners-end-effects = Прекращение отношений сразу:
mypartners-end-effect-close = закроет ваши отношения с реселлером { $partner } (они останутся в истории отношений и в журнале аудита);
mypartners-end-effect-list = уберёт вашу организацию из списка клиентов { $partner };
mypartners-end-effect-support = уберёт { $partner } из ваших доступных контактов поддержки и из { $count ->
        [one] { $count } подписки
        [few] { $count } подписок
       *[many] { $count } подписок
    }, где он указан контактом поддержки;
mypartners-end-effect-dap = отменит права делегированного администратора (DAP) { $partner } и прекратит { $count ->
        [one] его { $count } отношение GDAP
        [few] его { $count } отношения GDAP
       *[many] его { $count } отношений GDAP
    };
mypartners-end-effect-gdap = прекратит { $count ->
        [one] { $count } отношение GDAP
        [few] { $count } отношения GDAP
       *[many] { $count } отношений GDAP
    } { $partner } (прав DAP у него нет);
mypartners-end-effect-buy = лишит { $partner } права покупать для вас и возобновлять ваши подписки.
mypartners-end-keeps = Приостановленные подписки останутся приостановленными; ничего не удаляется. Чтобы снова работать с { $partner }, ему придётся прислать вам новое приглашение.
mypartners-end-reason = Причина (необязательно, сохраняется в истории)
mypartners-end-confirm = Прекратить отношения
mypartners-cancel = Отмена
mypartners-ended = Отношения с реселлером { $partner } прекращены.
mypartners-end-refused = Отношения не прекращены: у { $partner } { $count ->
        [one] { $count } активная подписка с вами
        [few] { $count } активные подписки с вами
       *[many] { $count } активных подписок с вами
    }. Попросите { $partner } сначала приостановить их.
mypartners-roles-title = Отозвать роли администратора у { $partner }?
mypartners-roles-none = У { $partner } нет ролей администратора в вашей организации: отзывать нечего.
mypartners-back = Вернуться к отношениям с партнёрами
mypartners-roles-effects = Отзыв ролей администратора сразу:
mypartners-roles-effect-dap = отменит права делегированного администратора (DAP) { $partner }: он больше не сможет администрировать вашу организацию;
mypartners-roles-effect-gdap = прекратит { $count ->
        [one] { $count } отношение GDAP
        [few] { $count } отношения GDAP
       *[many] { $count } отношений GDAP
    } { $partner } с вашей организацией.
mypartners-roles-keeps = Отношения с реселлером сохранятся: { $partner } по-прежнему сможет продавать вам и управлять проданными подписками. Изменение записывается в журнал аудита.
mypartners-roles-confirm = Отозвать роли администратора
mypartners-roles-removed = Роли администратора { $partner } отозваны: { $count ->
        [one] прекращено { $count } право
        [few] прекращено { $count } права
       *[many] прекращено { $count } прав
    }.

# profile
profile-title = Профиль
profile-name = Имя
profile-email = Электронная почта
profile-name-heading = Ваше имя
profile-name-save = Сохранить имя
profile-name-saved = Имя сохранено.
profile-password-heading = Пароль
profile-password-effects = После смены пароля вы выйдете отовсюду, кроме этого окна: другие сеансы панели управления завершатся, а токены обновления ваших клиентов API перестанут действовать. Здесь вы останетесь в системе.
profile-password-current = Текущий пароль
profile-password-new = Новый пароль
profile-password-new-hint = Не короче 8 символов.
profile-password-again = Новый пароль ещё раз
profile-password-revoke-tokens = Также отозвать мои личные токены API
profile-password-revoke-tokens-hint = Сценарии, которые их используют, сразу остановятся. Оставьте отметку, если вашей учётной записью мог воспользоваться кто-то другой.
profile-password-submit = Сменить пароль
profile-password-mismatch = Новые пароли не совпадают. Введите один и тот же новый пароль дважды.
profile-password-current-wrong = Текущий пароль неверен. Пароль не изменён.
profile-password-throttled = Слишком много неверных паролей. Повторите через { $minutes ->
        [one] { $minutes } минуту
        [few] { $minutes } минуты
       *[many] { $minutes } минут
    }; пароль не изменён.
profile-password-changed = Пароль изменён.
profile-password-sessions-ended = { $count ->
        [one] Завершён { $count } другой сеанс панели управления
        [few] Завершены { $count } других сеанса панели управления
       *[many] Завершено { $count } других сеансов панели управления
    }.
profile-password-refresh-revoked = { $count ->
        [one] Отозван { $count } токен обновления
        [few] Отозваны { $count } токена обновления
       *[many] Отозвано { $count } токенов обновления
    }.
profile-password-api-revoked = { $count ->
        [one] Отозван { $count } личный токен API
        [few] Отозваны { $count } личных токена API
       *[many] Отозвано { $count } личных токенов API
    }.
profile-password-api-kept = Ваши личные токены API продолжают действовать.
profile-language-heading = Язык
profile-language-legend = Язык панели управления
profile-language-hint = Та же настройка, что и переключатель языка вверху каждой страницы.
profile-language-save = Сохранить
profile-language-choose = Выберите язык и нажмите «Сохранить».
profile-language-saved = Язык сохранён.
profile-tokens-heading = Личные токены API
profile-tokens-intro = Личный токен API позволяет сценарию обращаться к API partnerdesk от вашего имени и с вашими ролями (передаётся как «Authorization: Bearer …»). Храните его так же бережно, как пароль.
profile-token-new-heading = Новый токен
profile-token-name = Название
profile-token-name-hint = Для чего токен (например, «выгрузка счетов»), чтобы отличать свои токены.
profile-token-days = Срок действия (дней, необязательно)
profile-token-days-hint = От 1 до { $max } дней. Оставьте пустым, чтобы токен работал, пока вы его не отзовёте.
profile-token-create = Создать токен
profile-tokens-list-heading = Ваши токены
profile-tokens-none = У вас нет личных токенов API.
profile-col-created = Создан
profile-col-last-used = Последнее использование
profile-col-expires = Действует до
profile-col-status = Состояние
profile-col-actions = Действия
profile-token-never = Никогда
profile-token-active = Действует
profile-token-expired = Истёк
profile-token-revoked = Отозван
profile-token-revoke = Отозвать
profile-token-revoke-label = Отозвать { $name }
profile-token-name-needed = Дайте токену название, чтобы потом отличать его от других.
profile-token-days-invalid = Введите целое число дней от 1 до { $max } или оставьте поле пустым, чтобы токен не истекал.
profile-token-created-title = Ваш новый токен
profile-token-created = Токен «{ $name }» создан.
profile-token-copy-now = Скопируйте токен сейчас и сохраните в надёжном месте. Больше он показан не будет: partnerdesk хранит только его отпечаток.
profile-token-secret = Токен
profile-token-expires-on = Действует до: { $date }
profile-token-usage = Сценарий передаёт его в заголовке Authorization: «Bearer » и затем токен.
profile-token-done = Я скопировал токен: вернуться в профиль
profile-revoke-title = Отозвать токен «{ $name }»?
profile-revoke-effects = Отзыв токена сразу:
profile-revoke-effect-stop = остановит все сценарии и программы, которые его используют: их запросы будут отклоняться;
profile-revoke-effect-final = прекратит его действие навсегда: отозванный токен нельзя включить снова. Если он понадобится, создайте новый.
profile-revoke-confirm = Отозвать токен
profile-cancel = Отмена
profile-token-revoked-notice = Токен «{ $name }» отозван и больше не работает.
request-revoke = Отозвать
request-revoke-title = Отозвать этот запрос на отношения?
request-revoke-effect = Ссылка сразу перестанет работать: клиент, открывший её, увидит, что запрос отозван. Больше ничего не изменится; новый запрос можно сделать в любой момент.
request-revoke-confirm = Отозвать запрос
request-revoked = Запрос отозван; его ссылка больше не работает.

## Отказы: что говорит панель, когда действие отклонено (рядом с полем, к которому это относится)
refusal-invalid-property = { $field }: { $reason }
refusal-not-found = Здесь ничего нет, или это вам недоступно.
refusal-already-in-use = { $field } «{ $value }» уже кем-то используется; выберите другое значение.
refusal-email-taken = С этим адресом электронной почты уже кто-то входит; укажите другой.
refusal-domain-taken = Клиент с этим доменом уже есть.
refusal-last-global-admin = Это последний глобальный администратор организации. Сначала назначьте глобальным администратором другого пользователя.
refusal-conflict = Это противоречит уже существующим данным. Обновите страницу и проверьте.
refusal-gdap-name-taken = Отношение GDAP с таким названием у вас уже есть; выберите другое.
refusal-group-name-taken = Группа безопасности с таким названием у вас уже есть; выберите другое.
refusal-already-member = Этот пользователь уже состоит в группе.
refusal-assignment-exists = У этой группы безопасности уже есть доступ в этом отношении.
refusal-group-in-use = Эту группу безопасности ещё использует назначение доступа. Сначала удалите назначение.
refusal-role-id-taken = Роль с таким идентификатором уже есть.
refusal-reseller-has-provider = У этого реселлера уже есть непрямой поставщик.
refusal-reseller-already-linked = Этот реселлер уже связан с вами.
refusal-changed-meanwhile = Пока вы редактировали, кто-то другой это изменил. Обновите страницу и повторите.
refusal-current-password-wrong = Текущий пароль введён неверно.
refusal-unauthenticated = Вход больше не действителен. Войдите снова.
refusal-too-many-sign-ins = Слишком много неудачных попыток входа. Повторите через { $minutes ->
        [one] { $minutes } минуту
        [few] { $minutes } минуты
       *[many] { $minutes } минут
    }.
refusal-unavailable = Сервис временно недоступен; повторите попытку чуть позже.
refusal-internal = На нашей стороне произошла ошибка. Повторите попытку позже.
refusal-quantity-out-of-range = Количество { $quantity } вне допустимого для предложения диапазона: не меньше { $minimum } и не больше { $maximum }.
refusal-active-subscriptions = У клиента ещё { $count ->
        [one] { $count } активная подписка
        [few] { $count } активные подписки
       *[many] { $count } активных подписок
    }. Сначала приостановите их или воспользуйтесь отключением клиента.
refusal-no-active-relationship = Вы больше не реселлер этого клиента. Чтобы снова работать с ним, отправьте новый запрос.
refusal-relationship-already-active = Отношения реселлера с этим партнёром уже активны.
refusal-request-expired = Срок запроса истёк, или запрос отозван.
refusal-request-accepted = Этот запрос уже принят.
refusal-request-declined = Этот запрос уже отклонён.
refusal-forbidden-role-to = Ваша роль не позволяет { $action }. Обратитесь к глобальному администратору вашей организации.
action-manage-partners = управлять партнёрами
action-manage-offers = управлять каталогом предложений
action-view-customers = просматривать клиентов
action-create-customer = создавать клиентов
action-request-relationship = запрашивать отношения реселлера
action-place-order = оформлять заказы
action-view-subscriptions = просматривать подписки
action-manage-subscriptions = приостанавливать и возобновлять подписки
action-manage-delegated-admin = управлять правами делегированного администратора
action-remove-relationship = разрывать отношения реселлера
action-manage-reseller-links = управлять связями с непрямыми реселлерами
action-answer-request = отвечать на запросы отношений
action-view-own-partners = просматривать партнёров организации
action-remove-partner-admin-roles = отзывать роли администратора у партнёра
action-end-relationship = разрывать отношения реселлера
action-manage-users = управлять пользователями
action-answer-gdap = одобрять и отклонять отношения GDAP
action-manage-roles = управлять каталогом ролей
action-check-access = проверять делегированный доступ
action-view-audit-records = просматривать журнал аудита
action-manage-webhooks = управлять веб-перехватчиками
refusal-partner-type = Ваш тип партнёра этого не позволяет.
refusal-invalid-transition = В текущем состоянии это сделать нельзя. Обновите страницу, чтобы увидеть, что изменилось.
refusal-subscription-deleted = Удалённую подписку изменить нельзя.
refusal-dap-not-consented = Клиент не давал вам прав делегированного администратора.
refusal-gdap-duration = Укажите срок от 1 до 730 дней.
refusal-gdap-auto-extend = Выберите «без продления» или 180 дней.
refusal-gdap-roles-required = Выберите хотя бы одну роль.
refusal-gdap-auto-extend-global-admin = Отношение с ролью глобального администратора не продлевается автоматически.
refusal-gdap-approval-expired = Клиент не одобрил этот запрос в течение 90 дней. Создайте новый.
refusal-mail-off = На этом сервере электронная почта выключена, поэтому письмо не отправить. Скопируйте ссылку и отправьте её сами.
refusal-gdap-customer-mismatch = Этот запрос сделан для другого клиента.
refusal-gdap-not-editable = В текущем состоянии отношения это изменить нельзя.
field-search = Поиск
field-value = Значение
field-name = Название
field-password = Пароль
field-current-password = Текущий пароль
field-language = Язык
field-quantity = Количество
field-minimum-quantity = Минимальное количество
field-maximum-quantity = Максимальное количество
field-price = Цена
field-term = Срок
field-roles = Роли
field-partner-type = Тип партнёра
field-reseller = Реселлер
field-provider = Непрямой поставщик
field-offer = Предложение
field-valid-days = Срок действия (дней)
field-support-contact = Контакт поддержки
field-billing-contact = Контакт для счетов
field-billing-address = Адрес для счетов
field-description = Описание
field-unit-type = Единица
field-currency = Валюта
field-subscription-name = Название подписки
field-reason = Причина
field-display-name = Имя
field-status = Состояние
field-revoke-tokens = Отзыв токенов API
field-webhook-url = Адрес веб-перехватчика
field-webhook-events = События
field-role-id = Идентификатор роли
field-items = Выбранные отношения
field-duration = Срок
field-auto-extend = Автопродление
reason-empty = заполните это поле
reason-too-long = не больше { $max ->
        [one] { $max } символа
       *[other] { $max } символов
    }
reason-too-short = не меньше { $min ->
        [one] { $min } символа
       *[other] { $min } символов
    }
reason-control-characters = уберите переводы строк и другие невидимые символы
reason-email = укажите адрес вида name@example.com
reason-language = выберите английский или русский
reason-country = укажите двухбуквенный код страны, например US или RU
reason-domain = укажите домен вида contoso.example (буквы, цифры и дефисы между точками)
reason-not-your-reseller = это не ваш реселлер
reason-reseller-not-related = этот реселлер не работает с этим клиентом
reason-one-role = выберите хотя бы одну роль
reason-one-country = укажите хотя бы одну страну
reason-indirect-provider = выберите одного из непрямых поставщиков
reason-only-indirect-reseller = непрямой поставщик бывает только у непрямого реселлера
reason-indirect-reseller = выберите одного из непрямых реселлеров
reason-support-contact = выберите один из контактов поддержки клиента
reason-whole-number = укажите целое число
reason-amount = укажите сумму, например 12,50
reason-negative = не может быть меньше нуля
reason-below-minimum = не может быть меньше минимального количества
reason-term = выберите месяц или год
reason-out-of-range = укажите число от { $min } до { $max }
reason-length-out-of-range = от { $min } до { $max ->
        [one] { $max } символа
       *[other] { $max } символов
    }
reason-at-least = укажите не меньше { $min }
reason-too-many-lines = в заказе от 1 до { $max ->
        [one] { $max } строки
       *[other] { $max } строк
    }
reason-offer-not-sold = это предложение больше не продаётся
reason-offer-not-sold-in = это предложение не продаётся в стране { $country }
reason-no-such-offer = этого предложения нет в каталоге
reason-partner-type = выберите прямого партнёра, непрямого поставщика или непрямого реселлера
reason-role-not-for-kind = выберите роли, доступные пользователям этой организации
reason-expires-by-itself = подписка истекает сама; выберите «Активна», «Приостановлена» или «Удалена»
reason-reset-revokes-tokens = сброс пароля другого пользователя всегда отзывает его личные токены API
reason-catalogue-role = выберите роль из каталога ролей
reason-relationship-role = выберите роль из тех, что даёт это отношение администрирования
reason-role-still-assigned = эта роль ещё выдана группе безопасности назначением доступа: сначала измените или удалите назначение
reason-too-many-items = { $max ->
    [one] не больше { $max } элемента за раз
    [few] не больше { $max } элементов за раз
    [many] не больше { $max } элементов за раз
   *[other] не больше { $max } элемента за раз
}
reason-webhook-url = введите полный веб-адрес с именем узла, без имени пользователя и пароля
reason-webhook-event = выберите события из списка
reason-webhook-address = этот адрес во внутренней или частной сети, куда веб-перехватчики не отправляются
reason-invalid = недопустимое значение

## Делегированное администрирование (GDAP): отношения партнёра, группы безопасности, одобрение клиентом
nav-gdap = GDAP
gdap-title = Отношения GDAP
gdap-ending-title = Отношения GDAP, которые закончатся в ближайшие 30 дней
gdap-of-customer = Отношения GDAP с этим клиентом
gdap-new-title = Новые отношения GDAP
gdap-none = Здесь нет отношений GDAP.
gdap-status = { $status ->
        [created] Созданы
        [approvalPending] Ждут одобрения
        [approved] Одобрены
        [activating] Включаются
        [active] Действуют
        [expiring] Скоро закончатся
        [expired] Истекли
        [terminationRequested] Запрошено прекращение
        [terminating] Прекращаются
        [terminated] Прекращены
       *[other] { $status }
    }
gdap-status-all = Любой статус
gdap-filter = Показать
gdap-next = Следующая страница
gdap-col-name = Название
gdap-col-customer = Клиент
gdap-col-roles = Роли
gdap-col-ends = Окончание
gdap-any-customer = Любой клиент, который их одобрит
gdap-select = Выбрать
gdap-select-one = Выбрать «{ $name }»
gdap-bulk-extend = Продлить выбранные
gdap-bulk-hint = Продление включает автоматическое продление: в день окончания отношения продлеваются на 180 дней. Отношения с ролью глобального администратора сами не продлеваются.
gdap-bulk-none = Выберите хотя бы одни отношения для продления.
gdap-bulk-results = Итог продления
gdap-extended = Продлено: в день окончания отношения продлятся на 180 дней.
gdap-duration-days = Срок в днях
gdap-duration-hint = От 1 до 730 дней с момента одобрения клиентом.
gdap-days = { $count ->
        [one] { $count } день
        [few] { $count } дня
       *[many] { $count } дней
    }
gdap-auto-extend = Автоматическое продление
gdap-auto-extend-no = Нет
gdap-auto-extend-yes = Да, на 180 дней при каждом окончании
gdap-auto-extend-by = Да, на { $count ->
        [one] { $count } день
        [few] { $count } дня
       *[many] { $count } дней
    }
gdap-customer-hint = Выберите одного из ваших клиентов или оставьте поле пустым: тогда одобрить отношения сможет глобальный администратор любого клиента, открывший ссылку.
gdap-create = Создать
gdap-created = Отношения GDAP «{ $name }» созданы. Когда всё готово, отправьте их на одобрение.
gdap-name-required = Введите название (не длиннее 50 символов).
gdap-roles-required = Выберите хотя бы одну роль.
gdap-customer-unknown = Выберите одного из ваших клиентов.
gdap-created-on = Созданы
gdap-activated-on = Действуют с
gdap-ended-on = Закончились
gdap-send-heading = Отправка на одобрение
gdap-send-intro = После отправки название, роли и срок изменить нельзя; глобальный администратор клиента одобряет или отклоняет отношения в течение 90 дней.
gdap-send = Отправить на одобрение
gdap-sent = Отправлено на одобрение. Передайте ссылку ниже глобальному администратору клиента.
gdap-link-heading = Ссылка для одобрения
gdap-link-label = Ссылка для глобального администратора клиента
gdap-link-hint = Глобальный администратор клиента входит в систему, открывает эту ссылку и одобряет или отклоняет отношения. Если за 90 дней ответа нет, ссылка перестаёт действовать.
gdap-access-heading = Назначения доступа
gdap-access-none = Ни у одной группы безопасности пока нет ролей в этих отношениях.
gdap-access-no-groups = Создайте группу безопасности, чтобы дать её участникам эти роли.
gdap-assign = Дать доступ
gdap-assigned = Теперь у группы безопасности есть эти роли в организации клиента.
gdap-group-required = Выберите группу безопасности.
gdap-extend-heading = Продление
gdap-extend = Продлить
gdap-terminate = Прекратить
gdap-terminate-title = Прекращение отношений GDAP
gdap-terminate-effect = Прекращение сразу отзывает эти роли администратора в организации клиента вместе со всеми назначениями доступа. Отменить его нельзя: для новых отношений снова нужно одобрение клиента.
gdap-terminated = Отношения GDAP прекращены.
gdap-partner-unknown = Партнёр { $id }
gdap-delete = Удалить
gdap-delete-title = Удаление отношений GDAP
gdap-delete-effect = Они ещё не отправлены клиенту, поэтому через них ни у кого нет доступа. Удаление убирает их из вашего списка; отменить его нельзя.
gdap-deleted = Отношения GDAP удалены.
sg-title = Группы безопасности
sg-intro = Группа безопасности — это набор ваших пользователей. Назначение доступа в отношениях GDAP даёт её участникам роли в организации клиента.
sg-none = У вас пока нет групп безопасности.
sg-new-heading = Новая группа безопасности
sg-col-name = Группа безопасности
sg-create = Создать группу
sg-created = Группа безопасности «{ $name }» создана. Добавьте в неё участников.
sg-name-required = Введите название группы.
sg-members = Участники
sg-members-none = В группе пока нет участников.
sg-add-label = Кого добавить
sg-add = Добавить в группу
sg-remove = Убрать
sg-remove-one = Убрать { $name } из группы
sg-user-required = Выберите пользователя.
sg-member-added = Пользователь добавлен в группу.
sg-member-removed = Пользователь убран из группы.
mygdap-title = Отношения GDAP с партнёрами
mygdap-detail-title = Отношения GDAP «{ $name }»
mygdap-intro = Отношения GDAP дают сотрудникам партнёра перечисленные роли администратора в вашей организации на ограниченный срок. Ваш глобальный администратор одобряет каждые отношения и может прекратить их в любой момент.
mygdap-none = Ни один партнёр не запрашивал роли администратора.
mygdap-col-partner = Партнёр
mygdap-actions = Действия
mygdap-answer = Одобрить или отклонить
mygdap-ask = { $partner } запрашивает эти роли администратора в вашей организации.
mygdap-roles-heading = Запрошенные роли
mygdap-answer-effect = Одобрение сразу даёт сотрудникам партнёра эти роли на { $count ->
        [one] { $count } день
        [few] { $count } дня
       *[many] { $count } дней
    }. Отклонение закрывает запрос; партнёру придётся запросить роли снова.
mygdap-approve = Одобрить
mygdap-reject = Отклонить
mygdap-approved = Одобрено: у партнёра теперь есть эти роли.
mygdap-rejected = Отклонено: новых ролей у партнёра нет.
mygdap-terminate-effect = Прекращение сразу отзывает эти роли администратора партнёра { $partner } в вашей организации. Отменить его нельзя.
mygdap-link = Отношения GDAP с партнёрами
gdap-assignment-status = { $status ->
        [pending] Ожидает
        [active] Действует
        [deleting] Удаляется
        [deleted] Удалено
       *[other] Ошибка
    }

# changing GDAP relationships, access assignments and security groups
gdap-edit = Изменить
gdap-edit-title = Изменение отношения GDAP
gdap-edit-closed = Сейчас в этом отношении ничего нельзя изменить: оно ждёт ответа клиента или уже закончилось.
gdap-save = Сохранить
gdap-saved = Отношение GDAP «{ $name }» сохранено.
gdap-access-edit = Изменить роли
gdap-access-edit-title = Роли группы «{ $name }» в этом отношении
gdap-access-remove = Убрать доступ
gdap-access-remove-title = Убрать доступ группы «{ $name }»
gdap-access-remove-effect = Участники группы сразу теряют эти роли в клиенте.
gdap-access-closed = Отношение не действует: роли его назначений доступа больше не меняются.
gdap-access-saved = Роли группы безопасности в этом отношении изменены.
gdap-access-removed = У группы безопасности больше нет ролей в этом отношении.
sg-rename-heading = Название
sg-rename = Переименовать
sg-renamed = Группа безопасности теперь называется «{ $name }».
sg-delete = Удалить группу
sg-delete-title = Удаление группы безопасности «{ $name }»
sg-delete-effect = Группа будет удалена. { $count ->
        [0] Участников в ней нет.
        [one] Её { $count } участник останется пользователем вашей организации.
        [few] Её { $count } участника останутся пользователями вашей организации.
       *[many] Её { $count } участников останутся пользователями вашей организации.
    }
sg-deleted = Группа безопасности удалена.
sg-delete-in-use = У группы есть роли в отношении GDAP: сначала уберите это назначение доступа.

# the operator's role catalogue
nav-roles = Роли
op-roles-title = Каталог ролей
op-roles-intro = Роли, которые может запросить отношение GDAP и дать назначение доступа. Роли не удаляются: отношения, где роль названа, сохраняют её.
op-role-id = Идентификатор роли
op-role-id-hint = Строчные латинские буквы, цифры и дефисы, не больше 64. Оставьте пустым, чтобы он был создан.
op-role-add = Добавить роль
op-role-save = Сохранить роль
op-role-saved = Роль «{ $name }» сохранена.
op-role-id-taken = Роль с таким идентификатором уже есть.
op-role-edit-title = Изменение роли каталога

# the audit log
nav-audit = Журнал аудита
audit-title = Журнал аудита
audit-record-title = Запись аудита
audit-back = К журналу аудита
audit-from = С
audit-to = По
audit-company = Название компании содержит
audit-customer = ID клиента
audit-type = Тип ресурса
audit-type-any = Любой
audit-submit = Показать
audit-clear = Сбросить фильтры
audit-export = Выгрузить в CSV
audit-count = { $count ->
        [one] { $count } запись на странице
        [few] { $count } записи на странице
       *[many] { $count } записей на странице
    }
audit-none = Нет записей аудита по этим фильтрам.
audit-col-date = Когда
audit-col-operation = Операция
audit-col-resource = Ресурс
audit-col-customer = Клиент
audit-col-user = Кто
audit-col-application = Через
audit-correlation = ID корреляции
audit-chain = Место в цепочке
audit-old = До
audit-new = После
audit-app-dashboard = панель управления
audit-app-api-token = API с токеном
audit-app-oauth = API с OAuth
audit-app-cli = командная строка
audit-app-job = фоновая задача
audit-app-unknown = не записано
audit-invalid-date = Укажите дату, например 2026-12-01.
audit-invalid-range = Начало не может быть позже конца.
audit-invalid-company = Уберите переводы строк и другие невидимые символы.
audit-invalid-customer = Укажите ID клиента, например 0190a5b2-0000-7000-8000-000000000001.

# Веб-перехватчики
nav-webhooks = Веб-перехватчики
webhooks-title = Веб-перехватчики
webhooks-intro = Веб-перехватчик сообщает вашей системе о событии сразу, как только здесь что-то меняется, — опрашивать не нужно. Каждый запрос подписан дважды: подписью RSA-SHA256, как у центра партнёров Майкрософт, и подписью HMAC-SHA256 с собственным секретом регистрации.
webhooks-worker-off = На этом сервере отправка веб-перехватчиков выключена. События всё равно записываются и будут отправлены другим сервером, где она включена, или этим, когда её включат.
webhooks-none = У вашей организации пока нет веб-перехватчиков.
webhook-col-url = Адрес
webhook-col-events = События
webhook-col-created = Создан
webhook-col-last = Последняя отправка
webhook-col-org = Организация
webhook-no-deliveries-yet = Пока нет
webhook-new-heading = Новый веб-перехватчик
webhook-create = Добавить веб-перехватчик
webhook-url = Адрес
webhook-url-hint = Куда отправлять события: полный веб-адрес, на который отвечает ваша система. Адреса во внутренних сетях не принимаются, если администратор сервера их не разрешил.
webhook-events = Какие события отправлять
webhook-event-test-created = Проверочное событие, отправляется по вашей просьбе (независимо от выбора здесь).
webhook-event-subscription-updated = У подписки клиента изменились состояние (активна, приостановлена, отменена), количество или продление.
webhook-event-reseller-relationship-accepted-by-customer = Клиент принял ваш запрос на отношения и стал вашим клиентом.
webhook-event-reseller-relationship-removed = Отношения реселлера с клиентом прекращены (партнёром или клиентом).
webhook-event-customer-created = Добавлен новый клиент.
webhook-event-dap-admin-relationship-approved = Клиент предоставил права делегированного администратора (DAP).
webhook-event-dap-admin-relationship-terminated = Права делегированного администратора (DAP) отозваны.
webhook-event-granular-admin-relationship-approved = Клиент одобрил отношения GDAP.
webhook-event-granular-admin-relationship-activated = Отношения GDAP вступили в силу.
webhook-event-granular-admin-relationship-terminated = Отношения GDAP прекращены.
webhook-event-granular-admin-relationship-expired = Срок отношений GDAP истёк.
webhook-event-granular-admin-relationship-expiring = Отношения GDAP закончатся в ближайшие 30 дней.
webhook-event-granular-admin-relationship-extended = Отношения GDAP продлены.
webhook-created-title = Новый веб-перехватчик
webhook-created = Веб-перехватчик добавлен:
webhook-secret-copy-now = Скопируйте этот секрет сейчас и сохраните его в принимающей системе. Больше он показан не будет.
webhook-secret = Секрет подписи
webhook-secret-usage = Ваша система проверяет в каждом запросе заголовок подписи: префикс «sha256=» и шестнадцатеричный HMAC-SHA256 тела запроса с этим секретом.
webhook-secret-done = Я скопировал секрет: к веб-перехватчику
webhook-title = Веб-перехватчик
webhook-created-on = Создан { $date }.
webhook-test-heading = Проверочное событие
webhook-test-intro = Отправляет на этот адрес проверочное событие. Его доставка появится ниже.
webhook-test-send = Отправить проверочное событие
webhook-test-sent = Проверочное событие поставлено в очередь. Его доставка показана ниже; обновите страницу, чтобы увидеть, что оно дошло.
webhook-deliveries-heading = Последние отправки
webhook-deliveries-none = На этот веб-перехватчик ещё ничего не отправлялось.
webhook-deliveries-hint = Неудачная отправка повторяется сама, до 10 раз со всё большими паузами; после этого она откладывается, пока вы не отправите её снова.
webhook-col-event = Событие
webhook-col-state = Состояние
webhook-col-attempts = Попытки
webhook-col-next = Следующая попытка
webhook-col-error = Последняя ошибка
webhook-col-http = Код ответа
webhook-col-actions = Действия
webhook-state-delivered = Доставлено
webhook-state-parked = Отложено
webhook-state-failed = Ошибка, будет повтор
webhook-state-pending = Ожидает
webhook-redeliver = Отправить снова
webhook-redeliver-all = Отправить снова все отложенные
webhook-redeliver-none = Отложенных отправок не было: отправлять снова нечего.
webhook-redelivered = { $count ->
        [one] { $count } отправка будет повторена.
        [few] { $count } отправки будут повторены.
       *[many] { $count } отправок будут повторены.
    }
webhook-edit-heading = Изменить веб-перехватчик
webhook-save = Сохранить
webhook-saved = Веб-перехватчик сохранён.
webhook-delete = Удалить веб-перехватчик
webhook-delete-title = Удалить этот веб-перехватчик?
webhook-delete-effect = Удаление прекратит отправку всех событий по адресу
webhook-delete-effect-events = Больше не будут отправляться события этих видов:
webhook-delete-effect-pending = Ожидающие и отложенные отправки будут отброшены, их история удалится.
webhook-delete-effect-secret = Его секрет подписи больше не используется; у нового веб-перехватчика будет новый.
webhook-deleted = Веб-перехватчик удалён. События на него больше не отправляются.
