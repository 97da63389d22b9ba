"""The honeypot of the public forms. Knows no models.

`situs_web` is rendered visually hidden: people leave it empty, bots fill it in. A form that mixes
this in reports a bot with is_bot(); the view then answers as if all went well and saves nothing.
"""

from django import forms


class HoneypotForm(forms.Form):
    situs_web = forms.CharField(
        required=False,
        label="Kosongkan kolom ini",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get("situs_web"))
