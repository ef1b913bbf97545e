# E-mail the system sends, English. Every message has a subject, its paragraphs and, where it
# leads somewhere, the words of its link. The HTML and the plain-text part say the same.

mail-greeting = Hello,
mail-signature = partnerdesk
mail-link-hint = If the button does not work, copy this address into your browser:

mail-password-reset-subject = Set a new partnerdesk password
mail-password-reset-body = Someone asked to set a new password for the partnerdesk account { $email }. If it was you, open the link below within an hour. It works once.
mail-password-reset-ignore = If it was not you, ignore this message: your password stays as it is.
mail-password-reset-action = Set a new password

mail-relationship-request-subject = { $partner } asks to become your reseller
mail-relationship-request-body = { $partner } asks for a reseller relationship with your organisation. Open the link to see what it asks for, then accept or decline it.
mail-relationship-request-action = Open the request

mail-gdap-approval-subject = { $partner } asks for admin roles in { $customer }
mail-gdap-approval-body = { $partner } asks you to approve the granular delegated admin relationship "{ $name }" for { $days } days. Open the link to see the roles it asks for, then approve or reject it.
mail-gdap-approval-action = Review the request

mail-relationship-removed-subject = Your reseller relationship with { $partner } was removed
mail-relationship-removed-body = The reseller relationship between { $customer } and { $partner } was removed on { $date }. { $partner } can no longer buy on your behalf or administer your organisation. Your subscriptions stay as they are.

mail-gdap-expiring-subject = The GDAP relationship "{ $name }" ends on { $date }
mail-gdap-expiring-body = The granular delegated admin relationship "{ $name }" with { $customer } ends on { $date } and will not extend itself. Extend it, or ask the customer to approve a new one, before then.
mail-gdap-expiring-action = Open the relationship
