"""Names `vulture tui --min-confidence 80` reports that are used, only not by our own code (vulture counts the
names below as used). Run: vulture tui vulture_whitelist.py --min-confidence 80

At 80% vulture reports only unused arguments: these are parameters of signatures others call.
"""

# WSGI start_response(status, headers, exc_info=None): the emulator's in-process WSGI call (protocols.py).
exc_info  # unused variable (tui/emulator/protocols.py)
# BaseHTTPRequestHandler.log_message(format, *args), overridden to keep the fake GitHub API quiet.
format  # unused variable (tui/emulator/github.py)
# Textual's App/Screen.check_action(action, parameters), overridden by the dashboard and the wizard.
parameters  # unused variable (tui/ui/screens/dashboard.py, tui/ui/screens/wizard/base.py)
