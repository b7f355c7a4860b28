"""Page forms collect input only; the services decide what is valid and their field errors are
put back on the form (cleanit.forms.apply_domain_error)."""

from django import forms

from cleanit.forms import AccessibleForm
from django.contrib.auth import password_validation


class SignupForm(AccessibleForm):
    name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.CharField(label="E-mail", max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label="Mobile number", max_length=20, help_text="Indian mobile, e.g. +91 98765 43210",
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    role = forms.ChoiceField(label="I want to", widget=forms.RadioSelect, initial="customer",
                             choices=[("customer", "book cleaners and support campaigns"),
                                      ("cleaner", "work as a cleaner")])
    password = forms.CharField(strip=False, max_length=128, help_text=password_validation.password_validators_help_text_html(),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    accept_terms = forms.BooleanField(label="I accept the terms of service and the privacy policy", required=False)


class LoginForm(AccessibleForm):
    email = forms.CharField(label="E-mail", max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
    password = forms.CharField(strip=False, max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class ForgotPasswordForm(AccessibleForm):
    email = forms.CharField(label="E-mail", max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ResetPasswordForm(AccessibleForm):
    password = forms.CharField(label="New password", strip=False, max_length=128,
                               help_text=password_validation.password_validators_help_text_html(),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_confirm = forms.CharField(label="Repeat new password", strip=False, max_length=128,
                                       widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_confirm"):
            self.add_error("password_confirm", "The two passwords do not match.")
        return data


class ProfileForm(AccessibleForm):
    name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label="Mobile number", max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))


class ChangePasswordForm(AccessibleForm):
    current_password = forms.CharField(strip=False, max_length=128,
                                       widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(strip=False, max_length=128,
                                   help_text=password_validation.password_validators_help_text_html(),
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password_confirm = forms.CharField(label="Repeat new password", strip=False, max_length=128,
                                           widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password_confirm"):
            self.add_error("new_password_confirm", "The two passwords do not match.")
        return data


class NotificationPreferencesForm(AccessibleForm):
    bookings = forms.BooleanField(required=False, label="Bookings")
    campaigns = forms.BooleanField(required=False, label="Campaigns")
    jobs = forms.BooleanField(required=False, label="Jobs")
    payments = forms.BooleanField(required=False, label="Payments (payouts and receipts)")


class DeleteAccountForm(AccessibleForm):
    password = forms.CharField(label="Your password", strip=False, max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirm = forms.BooleanField(label="I understand my account will be anonymised and I cannot undo this")


class KYCForm(AccessibleForm):
    id_type = forms.ChoiceField(label="Government ID", widget=forms.RadioSelect, initial="aadhaar",
                                choices=[("aadhaar", "Aadhaar"), ("pan", "PAN")])
    id_number = forms.CharField(label="ID number", max_length=20,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    account_holder_name = forms.CharField(label="Name on the account", max_length=120,
                                          widget=forms.TextInput(attrs={"autocomplete": "name"}))
    bank_account_number = forms.CharField(label="Bank account number", max_length=30, required=False,
                                          help_text="Bank account and IFSC, or a UPI id below.",
                                          widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))
    bank_ifsc = forms.CharField(label="IFSC", max_length=20, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    upi_id = forms.CharField(label="UPI id (instead of a bank account)", max_length=320, required=False,
                             widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "name@okbank"}))
