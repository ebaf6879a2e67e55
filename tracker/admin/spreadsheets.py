"""Spreadsheet import and export in the admin, hardened:

- CSV and XLSX only, at most TRACKER_IMPORT_MAX_BYTES;
- the confirm step takes only the upload token its own preview issued (signed
  for that user and model, single use, stored in the cache, never a file
  name);
- confirming imports in one transaction: any row failing then refuses the
  whole sheet, naming row and column (tracker.services.spreadsheets);
- exports neutralise formula cells as the API's CSV does.
"""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ExportForm, ImportForm
from import_export.tmp_storages import CacheStorage

from tracker.services.spreadsheets import SHEET_FORMATS, SheetRefused, sheet_import

logger = logging.getLogger(__name__)

UPLOAD_SALT = "tracker.admin.import-upload"
# An upload waits this long for its confirmation.
UPLOAD_MAX_AGE = 60 * 60


class SizedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.TRACKER_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; imports are "
                f"limited to {filesizeformat(limit)} (TRACKER_IMPORT_MAX_BYTES). "
                "Split it into smaller sheets."
            )
        return upload


class SpreadsheetAdmin(ImportExportModelAdmin):
    formats = SHEET_FORMATS
    import_form_class = SizedImportForm
    tmp_storage_class = CacheStorage
    # Every column, always: a sheet with some columns left out would not
    # import back as "no changes" (and the field picker's template has
    # inline styles the CSP refuses).
    export_form_class = ExportForm

    def has_import_permission(self, request):
        # An import both adds and changes records.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def _upload_token(self, request, name: str) -> str:
        return signing.dumps(
            {"name": name, "user": request.user.pk, "model": self.opts.label},
            salt=UPLOAD_SALT,
        )

    def _upload_name(self, request, token: str) -> str | None:
        try:
            data = signing.loads(token, salt=UPLOAD_SALT, max_age=UPLOAD_MAX_AGE)
        except signing.BadSignature:
            return None
        if data.get("user") != request.user.pk or data.get("model") != self.opts.label:
            return None
        return data["name"]

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if initial.get("import_file_name"):
            initial["import_file_name"] = self._upload_token(
                request, initial["import_file_name"]
            )
        return initial

    def get_import_data_kwargs(self, **kwargs):
        # The preview runs in a transaction that is always rolled back.
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)
        kwargs["use_transactions"] = True
        return kwargs

    def _refuse(self, request, text: str):
        self.message_user(request, text, messages.ERROR)
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        )

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return self._refuse(request, "The confirmation was incomplete.")
        # ConfirmImportForm strips the token to a base name; read it raw.
        name = self._upload_name(request, request.POST.get("import_file_name", ""))
        if name is None:
            return self._refuse(
                request,
                "That upload is not one of yours, or it has expired: "
                "upload the file again.",
            )
        import_formats = self.get_import_formats()
        try:
            input_format = import_formats[int(confirm_form.cleaned_data["format"])](
                encoding=self.from_encoding
            )
        except (IndexError, ValueError):
            return self._refuse(request, "Unknown format.")
        encoding = None if input_format.is_binary() else self.from_encoding
        storage = self.get_tmp_storage_class()(
            name=name, encoding=encoding, read_mode=input_format.get_read_mode()
        )
        data = storage.read()
        # Single use: a confirmation replayed finds nothing.
        storage.remove()
        if data is None:
            return self._refuse(request, "That upload has expired: upload it again.")
        dataset = input_format.create_dataset(data)
        resource = self.choose_import_resource_class(confirm_form, request)(
            **self.get_import_resource_kwargs(request, form=confirm_form, **kwargs)
        )
        try:
            result = sheet_import(
                resource=resource,
                dataset=dataset,
                dry_run=False,
                user=request.user,
                # The admin log entries name each record imported.
                retain_instance_in_row_result=True,
            )
        except SheetRefused as exc:
            return self._refuse(
                request, "Nothing was imported. " + " ".join(exc.problems)
            )
        return self.process_result(result, request)
