"""A kernel websocket that sends small messages at once: TCP_NODELAY for jupyter_server and Voila.

A slider update is a few hundred bytes. jupyter_server never sets TCP_NODELAY on the kernel websocket,
so Nagle's algorithm holds each small reply back until the browser's delayed ACK arrives, adding ~40 ms
to every round trip. This connection class turns Nagle off for that socket, through the supported
setting rather than a patch:

    jupyter lab --ServerApp.kernel_websocket_connection_class=gradwidget.server.NoDelayWebsocketConnection
    voila app.ipynb --Voila.kernel_websocket_connection_class=gradwidget.server.NoDelayWebsocketConnection
"""

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

CONNECTION_CLASS = "gradwidget.server.NoDelayWebsocketConnection"


class NoDelayWebsocketConnection(ZMQChannelsWebsocketConnection):
    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()
