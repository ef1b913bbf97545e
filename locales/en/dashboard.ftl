# The dashboard's words, in English. Message ids use hyphens (API error ids use underscores).

brand = partnerdesk
skip-to-content = Skip to content
nav-home = Home
nav-customers = Customers
nav-profile = Profile
nav-main = Main
sign-out = Sign out
signed-in-as = Signed in as { $name }
language = Language
language-switch = Switch
footer-api = API reference

# sign-in
signin-title = Sign in
signin-intro = Sign in with the e-mail and password of your partnerdesk account.
signin-email = E-mail
signin-password = Password
signin-submit = Sign in
signin-failed = The e-mail or password is wrong. Check both and try again.
signin-throttled = Too many failed sign-ins for this e-mail. Try again in { $minutes } minute(s).
signin-demo-hint = Trying the demo? Every demo user's password is printed by the server when it starts.
signed-out = You are signed out.

# errors shown as pages
error-title = Something went wrong
error-not-found-title = Not found
error-not-found = There is nothing here, or it is not visible to you.
error-csrf = The form expired or came from somewhere else. Reload the page and try again.
error-back = Go back to the start page
error-forbidden-title = Not allowed

# home
home-title = Home
home-welcome = Welcome, { $name }
home-customers = Customers
home-active-subscriptions = Active subscriptions
home-suspended-subscriptions = Suspended subscriptions
home-pending-requests = Pending relationship requests
home-dap-expiring = Delegated admin relationships expiring within 30 days
home-go-customers = Open the customer list

# customers
customers-title = Customers
customers-search = Search by name or domain
customers-search-submit = Search
customers-search-clear = Clear
customers-count = { $count } customer(s)
customers-count-search = { $count } customer(s) match “{ $query }”
customers-none = You have no customers yet. Request a reseller relationship to start working with one.
customers-none-search = No customer matches “{ $query }”.
customers-export = Export to CSV
col-company = Company
col-domain = Domain
col-country = Country
col-culture = Language
paging-next = Next page
paging-first = First page

# one customer
customer-tabs = Customer sections
tab-account = Account
tab-subscriptions = Subscriptions
company-profile = Company profile
billing-profile = Billing profile
field-company-name = Company name
field-domain = Domain
field-country = Country
field-culture = Language and region
field-contact = Contact
field-email = E-mail
field-address = Address
field-none = —
relationship = Reseller relationship
relationship-since = Active since { $date }
delegated-admin = Delegated admin
delegated-admin-active = You hold delegated admin rights over this customer.
delegated-admin-consented = The customer consented to delegated admin; you have not taken it up.
delegated-admin-none = No delegated admin rights.
remove-relationship = Remove reseller relationship
remove-blocked = You cannot remove the relationship while { $count } subscription(s) are active. Suspend them first:
remove-allowed = No subscription is active. You can remove the relationship.

# removal confirmation
remove-title = Remove the reseller relationship with { $name }?
remove-effects = Removing the relationship will, at once:
remove-effect-close = close your reseller relationship with { $name } (it stays in the customer's history and in the audit log);
remove-effect-list = remove { $name } from your customer list;
remove-effect-support = remove you as an available support contact, and from { $count } subscription(s) that name you as their support contact;
remove-effect-dap = end your delegated admin rights (DAP) and terminate { $count } GDAP relationship(s);
remove-effect-buy = take away your right to buy for this customer or to reactivate its subscriptions.
remove-keeps = Suspended subscriptions stay suspended; nothing is deleted. To work with { $name } again you will need a new relationship request.
remove-reason = Reason (optional, kept in the history)
remove-confirm = Remove the relationship
remove-cancel = Cancel
removed = The reseller relationship with { $name } was removed.

# subscriptions
subscriptions-title = Subscriptions
subscriptions-none = This customer has no subscriptions with you.
col-select = Select
col-subscription = Subscription
col-offer = Offer
col-quantity = Seats
col-status = Status
col-created = Created
col-term = Term
status-active = Active
status-suspended = Suspended
status-deleted = Deleted
status-expired = Expired
subscriptions-suspend-selected = Suspend selected
subscriptions-reactivate-selected = Reactivate selected
subscriptions-bulk-done = { $changed } subscription(s) changed, { $refused } refused.
subscriptions-bulk-none = Select at least one subscription first.
subscription-status-choice = Status
subscription-submit = Submit
subscription-saved = The subscription is now { $status }.
subscription-unchanged = Nothing changed: the subscription already has that status.
subscription-back = All subscriptions of this customer
subscription-suspend-note = A suspended subscription stops working for the customer's users until it is reactivated. Billing stops with it.
error-partners-only = This page is for partners. Sign in with a partner account to use it.
term-monthly = Monthly
term-yearly = Yearly
subscription-choose-status = Choose Active or Suspended, then Submit.
