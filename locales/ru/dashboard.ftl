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
signin-throttled = Слишком много неудачных попыток входа с этим адресом. Попробуйте снова через { $minutes } мин.
signin-demo-hint = Пробуете демо? Пароль всех демонстрационных пользователей сервер печатает при запуске.
signed-out = Вы вышли из системы.

# errors shown as pages
error-title = Что-то пошло не так
error-not-found-title = Не найдено
error-not-found = Здесь ничего нет, или у вас нет доступа.
error-csrf = Форма устарела или отправлена не с этой страницы. Обновите страницу и попробуйте снова.
error-back = Вернуться на главную
error-forbidden-title = Действие запрещено

# home
home-title = Главная
home-welcome = Добро пожаловать, { $name }
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
customers-count = Клиентов: { $count }
customers-count-search = Клиентов по запросу «{ $query }»: { $count }
customers-none = У вас пока нет клиентов. Отправьте запрос на отношения посредника, чтобы начать работу с клиентом.
customers-none-search = По запросу «{ $query }» клиентов не найдено.
customers-export = Выгрузить в CSV
col-company = Компания
col-domain = Домен
col-country = Страна
col-culture = Язык
paging-next = Следующая страница
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
relationship = Отношения посредника
relationship-since = Действуют с { $date }
delegated-admin = Делегированное администрирование
delegated-admin-active = У вас есть права делегированного администратора этого клиента.
delegated-admin-consented = Клиент согласился на делегированное администрирование, но вы им ещё не воспользовались.
delegated-admin-none = Прав делегированного администратора нет.
remove-relationship = Удалить отношения посредника
remove-blocked = Нельзя удалить отношения, пока активны подписки ({ $count }). Сначала приостановите их:
remove-allowed = Активных подписок нет. Отношения можно удалить.

# removal confirmation
remove-title = Удалить отношения посредника с «{ $name }»?
remove-effects = Удаление отношений сразу:
remove-effect-close = закроет ваши отношения посредника с «{ $name }» (они останутся в истории клиента и в журнале аудита);
remove-effect-list = уберёт «{ $name }» из вашего списка клиентов;
remove-effect-support = исключит вас из доступных контактов поддержки и из подписок, где вы указаны контактом поддержки ({ $count });
remove-effect-dap = прекратит ваши права делегированного администратора (DAP) и завершит отношения GDAP ({ $count });
remove-effect-buy = лишит вас права покупать для этого клиента и возобновлять его подписки.
remove-keeps = Приостановленные подписки останутся приостановленными; ничего не удаляется. Чтобы снова работать с «{ $name }», понадобится новый запрос на отношения.
remove-reason = Причина (необязательно, сохранится в истории)
remove-confirm = Удалить отношения
remove-cancel = Отмена
removed = Отношения посредника с «{ $name }» удалены.

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
subscriptions-bulk-done = Изменено подписок: { $changed }, отказано: { $refused }.
subscriptions-bulk-none = Сначала выберите хотя бы одну подписку.
subscription-status-choice = Состояние
subscription-submit = Отправить
subscription-saved = Подписка теперь: { $status }.
subscription-unchanged = Ничего не изменилось: у подписки уже это состояние.
subscription-back = Все подписки этого клиента
subscription-suspend-note = Приостановленная подписка перестаёт работать у пользователей клиента до возобновления. Оплата при этом тоже останавливается.
error-partners-only = Эта страница для партнёров. Войдите с учётной записью партнёра.
term-monthly = Месяц
term-yearly = Год
subscription-choose-status = Выберите «Активна» или «Приостановлена» и нажмите «Отправить».
