from rest_framework import permissions


class StaffModelPermissions(permissions.DjangoModelPermissions):
    """Anyone reads; a write needs an authenticated staff member holding the
    model's add, change or delete permission."""

    authenticated_users_only = False

    def has_permission(self, request, view):
        # A method the view does not serve is the view's 405 to give, not a
        # permission question (the summary has no model to ask about).
        if request.method in permissions.SAFE_METHODS or (
            request.method not in view.allowed_methods
        ):
            return True
        user = request.user
        if not (user and user.is_authenticated and user.is_staff):
            return False
        return super().has_permission(request, view)
