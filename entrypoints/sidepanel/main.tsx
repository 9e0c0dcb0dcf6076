import { render } from 'preact';
import { App } from '../../components/App.tsx';
import { connectPanel } from '../../lib/ui/panel-client.ts';
import '../../components/panel.css';

render(<App client={connectPanel()} />, document.getElementById('app')!);
